/*
 * npm run bench:store: the branch store at 100,000 products.
 * One-line and three-line sales through the store's `sell`, against a raw loop
 * of the very same SQL statements through better-sqlite3 on the same file with
 * the same pragmas, in the same run (rounds alternate so WAL growth and
 * checkpoints fall on both alike). Then barcode lookup and name search
 * latencies. Prints a table, then one JSON line.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogProduct } from '../../src-shared/branch-inputs';
import { uuidv7 } from '../../src-shared/ids';
import { openBranchStore } from '../../src-main/store';
import { SQL } from '../../src-main/store/context';
import { OUTBOX_SQL } from '../../src-main/store/run-op';
import { SALE_SQL } from '../../src-main/store/sales';

const PRODUCTS = 100_000;
const ROUNDS = 3;
const SALES_PER_ROUND = Number(process.env.BENCH_SALES ?? 1500);
const LOOKUPS = 20_000;
const SEARCHES = 5_000;

const TENANT = uuidv7();
const WAREHOUSE = uuidv7();
const DEVICE = uuidv7();

// Deterministic choice of products so store and raw see the same mix.
let seed = 42;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const ms = (ns: bigint) => Number(ns) / 1e6;

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'branchpos-bench-'));
  const file = join(dir, 'branch.sqlite');
  try {
    run(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(file: string): void {
  const store = openBranchStore({ file, tenantId: TENANT, warehouseId: WAREHOUSE, deviceId: DEVICE });
  const products: CatalogProduct[] = Array.from({ length: PRODUCTS }, (_, i) => ({
    id: uuidv7(), sku: `SKU-${String(i).padStart(6, '0')}`, barcodes: [`629${String(i).padStart(10, '0')}`],
    nameEn: `Product ${i} ${['Milk', 'Bread', 'Rice', 'Tea', 'Soap'][i % 5]}`, nameAr: `منتج ${i} ${['حليب', 'خبز', 'أرز', 'شاي', 'صابون'][i % 5]}`,
    priceMinor: 100 + (i % 900), currency: 'USD', taxClass: 'standard', active: true, reorderLevel: 5,
  }));
  let t = process.hrtime.bigint();
  store.upsertProducts(products);
  store.setOpeningStock(products.map((p) => ({ productId: p.id, quantity: 100_000 })));
  const loadS = ms(process.hrtime.bigint() - t) / 1000;

  // The raw baseline: its own connection to the same file, same durability, same statements.
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const st = {
    getOp: raw.prepare(OUTBOX_SQL.getOp), getProduct: raw.prepare(SQL.getProduct), takeStock: raw.prepare(SQL.takeStock),
    insertMovement: raw.prepare(SQL.insertMovement), bumpCounters: raw.prepare(OUTBOX_SQL.bumpCounters),
    insertSale: raw.prepare(SALE_SQL.insertSale), insertSaleLine: raw.prepare(SALE_SQL.insertSaleLine),
    insertPayment: raw.prepare(SALE_SQL.insertPayment), insertOutbox: raw.prepare(OUTBOX_SQL.insertOutbox),
  };
  const rawSale = raw.transaction((opId: string, ids: string[]) => {
    st.getOp.get(opId);
    const c = st.bumpCounters.get({ r: 1, d: DEVICE }) as { last_seq: number; last_receipt_no: number };
    const at = new Date().toISOString();
    const saleId = uuidv7();
    let total = 0;
    const rows = ids.map((id) => {
      const p = st.getProduct.get(id) as { price_minor: number };
      if (st.takeStock.run({ t: TENANT, w: WAREHOUSE, p: id, q: 1, now: at }).changes !== 1) throw new Error('raw: no stock');
      st.insertMovement.run(uuidv7(), TENANT, WAREHOUSE, id, 'sale', -1, 0, saleId, opId, at);
      total += p.price_minor;
      return p.price_minor;
    });
    const tax = rows.map((p) => Math.round((p * 1100) / 11100));
    const taxTotal = tax.reduce((a, b) => a + b, 0);
    st.insertSale.run(saleId, opId, DEVICE, c.last_receipt_no, 'bench', 'USD', total - taxTotal, taxTotal, total, 100_000, 100_000 - total, null, ids.length, 1, null, null, null, at);
    ids.forEach((id, i) => st.insertSaleLine.run(saleId, i + 1, id, 1, rows[i], 1100, rows[i], tax[i]));
    st.insertPayment.run(saleId, 1, 'cash', 'USD', 100_000, null);
    const payload = JSON.stringify({ saleId, receiptNo: c.last_receipt_no, currency: 'USD', lines: ids.map((id, i) => ({ productId: id, quantity: 1, unitPriceMinor: rows[i], taxRateBp: 1100 })), payments: [{ method: 'cash', currency: 'USD', amountMinor: 100_000 }] });
    st.insertOutbox.run(opId, DEVICE, c.last_seq, 'sale', payload, 'raw', 'bench', at, payload);
  }).immediate;

  const pick = (n: number) => Array.from({ length: n }, () => products[rand(PRODUCTS)]!.id);

  function storeRound(lines: number, latencies: number[]): number {
    const inputs = Array.from({ length: SALES_PER_ROUND }, () => ({
      opId: uuidv7(), actorId: 'bench', lines: pick(lines).map((productId) => ({ productId, quantity: 1 })),
      payments: [{ method: 'cash' as const, currency: 'USD' as const, amountMinor: 100_000 }],
    }));
    const start = process.hrtime.bigint();
    for (const input of inputs) {
      const s = process.hrtime.bigint();
      store.sell(input);
      latencies.push(ms(process.hrtime.bigint() - s));
    }
    return SALES_PER_ROUND / (ms(process.hrtime.bigint() - start) / 1000);
  }
  function rawRound(lines: number): number {
    const inputs = Array.from({ length: SALES_PER_ROUND }, () => ({ opId: uuidv7(), ids: pick(lines) }));
    const start = process.hrtime.bigint();
    for (const i of inputs) rawSale(i.opId, i.ids);
    return SALES_PER_ROUND / (ms(process.hrtime.bigint() - start) / 1000);
  }

  storeRound(1, []);
  rawRound(1);
  const results: Record<string, { store: number[]; raw: number[]; lat: number[] }> = { '1': { store: [], raw: [], lat: [] }, '3': { store: [], raw: [], lat: [] } };
  for (let r = 0; r < ROUNDS; r += 1) {
    for (const lines of [1, 3]) {
      const res = results[String(lines)]!;
      // Alternate which goes first so neither always meets the checkpoint.
      if (r % 2 === 0) { res.store.push(storeRound(lines, res.lat)); res.raw.push(rawRound(lines)); }
      else { res.raw.push(rawRound(lines)); res.store.push(storeRound(lines, res.lat)); }
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  const lookupLat: number[] = [];
  for (let i = 0; i < LOOKUPS; i += 1) {
    const code = i % 2 === 0 ? `629${String(rand(PRODUCTS)).padStart(10, '0')}` : `SKU-${String(rand(PRODUCTS)).padStart(6, '0')}`;
    t = process.hrtime.bigint();
    const row = store.lookup({ code });
    lookupLat.push(ms(process.hrtime.bigint() - t));
    if (!row) throw new Error(`lookup missed ${code}`);
  }
  const searchLat: number[] = [];
  for (let i = 0; i < SEARCHES; i += 1) {
    const prefix = i % 2 === 0 ? `product ${rand(PRODUCTS) % 1000}` : `منتج ${rand(PRODUCTS) % 1000}`;
    t = process.hrtime.bigint();
    const rows = store.searchProducts({ prefix, limit: 20 });
    searchLat.push(ms(process.hrtime.bigint() - t));
    if (rows.length === 0) throw new Error(`search found nothing for ${prefix}`);
  }
  t = process.hrtime.bigint();
  const report = store.verifyConsistency();
  const verifyMs = ms(process.hrtime.bigint() - t);
  if (!report.ok) throw new Error(`inconsistent after the bench: ${JSON.stringify(report.mismatches.slice(0, 3))}`);
  raw.close();
  void store.close();

  const one = results['1']!;
  const three = results['3']!;
  const out = {
    products: PRODUCTS,
    synchronous: 'FULL',
    sale_tps: Math.round(mean(one.store)),
    raw_sale_tps: Math.round(mean(one.raw)),
    ratio: +(mean(one.store) / mean(one.raw)).toFixed(3),
    sale3_tps: Math.round(mean(three.store)),
    raw_sale3_tps: Math.round(mean(three.raw)),
    ratio3: +(mean(three.store) / mean(three.raw)).toFixed(3),
    commit_p50_ms: +pct(one.lat, 50).toFixed(3),
    commit_p99_ms: +pct(one.lat, 99).toFixed(3),
    commit3_p50_ms: +pct(three.lat, 50).toFixed(3),
    commit3_p99_ms: +pct(three.lat, 99).toFixed(3),
    lookup_p50_ms: +pct(lookupLat, 50).toFixed(4),
    lookup_p99_ms: +pct(lookupLat, 99).toFixed(4),
    search_p50_ms: +pct(searchLat, 50).toFixed(4),
    search_p99_ms: +pct(searchLat, 99).toFixed(4),
    load_100k_s: +loadS.toFixed(2),
    verify_ms: Math.round(verifyMs),
  };
  const rows: Array<[string, string, string]> = [
    ['1-line sale', `${out.sale_tps}/s (p50 ${out.commit_p50_ms} ms, p99 ${out.commit_p99_ms} ms)`, `raw ${out.raw_sale_tps}/s, ratio ${out.ratio}`],
    ['3-line sale', `${out.sale3_tps}/s (p50 ${out.commit3_p50_ms} ms, p99 ${out.commit3_p99_ms} ms)`, `raw ${out.raw_sale3_tps}/s, ratio ${out.ratio3}`],
    ['barcode/SKU lookup', `p50 ${out.lookup_p50_ms} ms, p99 ${out.lookup_p99_ms} ms`, `${LOOKUPS} lookups`],
    ['name search (en/ar)', `p50 ${out.search_p50_ms} ms, p99 ${out.search_p99_ms} ms`, `${SEARCHES} searches, limit 20`],
    ['load 100k products + opening stock', `${out.load_100k_s} s`, ''],
    ['verifyConsistency', `${out.verify_ms} ms`, 'clean'],
  ];
  console.log(`branch store, ${PRODUCTS} products, WAL + synchronous=FULL, ${ROUNDS} rounds x ${SALES_PER_ROUND} sales per kind`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(36)} ${b.padEnd(44)} ${c}`);
  console.log(JSON.stringify(out));
}

main();
