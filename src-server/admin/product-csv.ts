import { ProductInput, type ImportRowError } from '../../src-shared/admin';
import { CURRENCY_MINOR_DIGITS, Currency } from '../../src-shared/primitives';
import { CsvSyntaxError, parseCsv } from './csv';

/*
 * A product catalog as a shop keeps it in a spreadsheet:
 *
 *   sku,barcodes,name_en,name_ar,price,currency,tax_class,active
 *   COLA-330,5449000000996|5449000000439,Cola 330ml,كولا ٣٣٠ مل,1.25,USD,standard,yes
 *
 * Prices are in major units as people write them (1.25 USD, 90000 LBP) and
 * are turned into minor units exactly, never through floating point.
 * Several barcodes are separated by | or ;. Columns may come in any order;
 * sku, name_en, price and currency are required.
 */

export const CSV_COLUMNS = ['sku', 'barcodes', 'name_en', 'name_ar', 'price', 'currency', 'tax_class', 'active'] as const;
const REQUIRED = ['sku', 'name_en', 'price', 'currency'] as const;
export const MAX_CSV_ROWS = 20_000;

export interface CsvProductRow {
  row: number;
  product: ProductInput;
}

export interface ParsedCatalog {
  rows: CsvProductRow[];
  errors: ImportRowError[];
  /** Data rows in the file (header excluded). */
  total: number;
}

/** "12.50" in USD -> 1250; refuses more decimals than the currency has, signs and exponents. */
export function toMinor(price: string, currency: Currency): number | string {
  const digits = CURRENCY_MINOR_DIGITS[currency];
  const m = /^(\d{1,13})(?:\.(\d+))?$/.exec(price.replace(/[\s,](?=\d{3}(\D|$))/g, ''));
  if (!m) return 'a price such as 12.50 (no sign, no currency symbol)';
  const frac = m[2] ?? '';
  if (frac.length > digits) return digits === 0 ? `${currency} has no decimals` : `${currency} has at most ${digits} decimals`;
  return Number(m[1]) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
}

const TRUE = new Set(['', 'yes', 'y', 'true', '1']);
const FALSE = new Set(['no', 'n', 'false', '0']);

function cellsToProduct(get: (c: string) => string | undefined, row: number, errors: ImportRowError[]): ProductInput | null {
  const before = errors.length;
  const err = (field: string, message: string) => errors.push({ row, field, message });
  const currencyRaw = (get('currency') ?? '').trim().toUpperCase();
  const currency = Currency.safeParse(currencyRaw);
  if (!currency.success) err('currency', 'USD or LBP');
  let priceMinor = 0;
  if (currency.success) {
    const p = toMinor((get('price') ?? '').trim(), currency.data);
    if (typeof p === 'string') err('price', p);
    else priceMinor = p;
  }
  const activeRaw = (get('active') ?? '').trim().toLowerCase();
  if (!TRUE.has(activeRaw) && !FALSE.has(activeRaw)) err('active', 'yes or no');
  const barcodes = (get('barcodes') ?? '').split(/[|;]/).map((b) => b.trim()).filter((b) => b !== '');
  const candidate = {
    sku: get('sku') ?? '',
    barcodes,
    nameEn: get('name_en') ?? '',
    nameAr: get('name_ar') ?? '',
    priceMinor,
    currency: currency.success ? currency.data : 'USD',
    taxClass: (get('tax_class') ?? '').trim().toLowerCase() || undefined,
    active: !FALSE.has(activeRaw),
  };
  const parsed = ProductInput.safeParse(candidate);
  if (!parsed.success) {
    const names: Record<string, string> = { nameEn: 'name_en', nameAr: 'name_ar', taxClass: 'tax_class', priceMinor: 'price' };
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      err(names[key] ?? key, issue.message);
    }
  }
  return errors.length === before && parsed.success ? parsed.data : null;
}

export function parseCatalogCsv(text: string): ParsedCatalog {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { rows: [], errors: [{ row: e.line, field: '(file)', message: e.message }], total: 0 };
    throw e;
  }
  const header = records[0];
  if (!header) return { rows: [], errors: [{ row: 1, field: '(file)', message: 'the file is empty' }], total: 0 };
  const cols = header.fields.map((h) => h.trim().toLowerCase());
  const errors: ImportRowError[] = [];
  cols.forEach((c) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(c)) errors.push({ row: header.line, field: c || '(blank)', message: `unknown column; expected ${CSV_COLUMNS.join(', ')}` });
  });
  for (const r of REQUIRED) if (!cols.includes(r)) errors.push({ row: header.line, field: r, message: 'required column missing' });
  if (new Set(cols).size !== cols.length) errors.push({ row: header.line, field: '(header)', message: 'a column appears twice' });
  const data = records.slice(1);
  if (errors.length > 0) return { rows: [], errors, total: data.length };
  if (data.length > MAX_CSV_ROWS) {
    return { rows: [], errors: [{ row: 1, field: '(file)', message: `more than ${MAX_CSV_ROWS} rows; split the file` }], total: data.length };
  }
  const rows: CsvProductRow[] = [];
  for (const rec of data) {
    if (rec.fields.length !== cols.length) {
      errors.push({ row: rec.line, field: '(row)', message: `${rec.fields.length} fields, the header has ${cols.length}` });
      continue;
    }
    const get = (c: string) => {
      const i = cols.indexOf(c);
      return i < 0 ? undefined : rec.fields[i];
    };
    const product = cellsToProduct(get, rec.line, errors);
    if (product) rows.push({ row: rec.line, product });
  }
  return { rows, errors, total: data.length };
}
