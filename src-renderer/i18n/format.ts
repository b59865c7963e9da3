import type { Currency } from '../../src-shared/primitives';
import { CURRENCY_MINOR_DIGITS } from '../../src-shared/primitives';
import type { Lang } from './locale-store';

/*
 * Numbers, money and times through Intl, in the screen's language. Arabic uses
 * Lebanese Arabic conventions (ar-LB); digits stay Latin, as on Lebanese
 * receipts and price tags, so a cashier reads the same digits as the till tape.
 */
const LOCALE: Record<Lang, string> = { en: 'en-US', ar: 'ar-LB-u-nu-latn' };
const cache = new Map<string, Intl.NumberFormat>();

function nf(lang: Lang, currency: Currency | null): Intl.NumberFormat {
  const key = `${lang}:${currency ?? '-'}`;
  let f = cache.get(key);
  if (!f) {
    f = currency
      ? new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency, minimumFractionDigits: CURRENCY_MINOR_DIGITS[currency], maximumFractionDigits: CURRENCY_MINOR_DIGITS[currency] })
      : new Intl.NumberFormat(LOCALE[lang]);
    cache.set(key, f);
  }
  return f;
}

export function money(lang: Lang, minor: number, currency: Currency): string {
  return nf(lang, currency).format(minor / 10 ** CURRENCY_MINOR_DIGITS[currency]);
}

export function num(lang: Lang, n: number): string {
  return nf(lang, null).format(n);
}

/** USD cents to whole LBP at the tenant rate (LBP is cashed in whole pounds). */
export function usdToLbp(usdMinor: number, lbpPerUsd: number): number {
  return Math.round((usdMinor * lbpPerUsd) / 100);
}

/** Whole LBP to USD cents, rounding down: never credit more than was handed over. */
export function lbpToUsdMinor(lbp: number, lbpPerUsd: number): number {
  return Math.floor((lbp * 100) / lbpPerUsd);
}

/** Parses what a cashier typed as an amount in major units ("12.5", "12,50", "1,500,000" in LBP). */
export function parseAmountMinor(text: string, currency: Currency): number | null {
  const digits = CURRENCY_MINOR_DIGITS[currency];
  const cleaned = digits === 0 ? text.replace(/[,\s]/g, '') : text.replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d*)?$/.test(cleaned)) return null;
  const [whole = '0', frac = ''] = cleaned.split('.');
  if (frac.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
}

// Building an Intl formatter costs far more than using one: one per language, kept.
const dateFormats = new Map<Lang, Intl.DateTimeFormat>();
const relativeFormats = new Map<Lang, Intl.RelativeTimeFormat>();

export function dateTime(lang: Lang, iso: string): string {
  let f = dateFormats.get(lang);
  if (!f) { f = new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'medium', timeStyle: 'short' }); dateFormats.set(lang, f); }
  return f.format(new Date(iso));
}

/** "3 min ago" / "منذ 3 دقائق". */
export function ago(lang: Lang, iso: string, now = Date.now()): string {
  const s = Math.round((new Date(iso).getTime() - now) / 1000);
  let rtf = relativeFormats.get(lang);
  if (!rtf) { rtf = new Intl.RelativeTimeFormat(LOCALE[lang], { numeric: 'auto', style: 'short' }); relativeFormats.set(lang, rtf); }
  const abs = Math.abs(s);
  if (abs < 60) return rtf.format(s, 'second');
  if (abs < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86_400), 'day');
}
