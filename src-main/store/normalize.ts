/*
 * Names are searched by prefix through an index range on a normalized copy.
 * Folding here (not in SQL) keeps the query a plain `>= lo AND < hi` range.
 * Compatibility decomposition (NFKD) splits Arabic presentation forms into
 * letters and letters into base + marks; dropping the marks removes tashkeel
 * and folds the hamza/madda alef forms (أ إ آ) to ا, and Latin accents too.
 * Then tatweel is dropped, alef maqsura and ta marbuta folded, Arabic-Indic
 * digits made Latin: "أحمد", "احمد" and "اَحمد" all find the same products.
 */
const MARKS = /\p{M}/gu;
const ARABIC_INDIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

export function normalizeName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(MARKS, '')
    .replace(/\u0640/g, '')
    .replace(/\u0649/g, '\u064A')
    .replace(/\u0629/g, '\u0647')
    .replace(ARABIC_INDIC_DIGITS, (d) => String((d.codePointAt(0) ?? 0x660) & 0xf))
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The upper bound of a prefix range: U+10FFFF sorts after every character in SQLite's binary (UTF-8) order. */
export function prefixUpperBound(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}
