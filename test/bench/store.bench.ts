/*
 * npm run bench:store: the branch store at 100,000 products.
 * One-line and three-line sales through the store's `sell`, against a raw loop
 * of the very same SQL statements through better-sqlite3 on the same file with
 * the same pragmas, in the same run (blocks of 100 sales alternate so WAL
 * growth, checkpoints and background load fall on both alike). Then barcode lookup and name search
 * latencies. Prints a table, then one JSON line.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogProduct } from '../../src-shared/branch-inputs';
import { uuidv7 } from '../../src-shared/ids';
import { openBranchStore } from '../../src-main/store';
import { SAFETY_NET_AUTOCHECKPOINT_FRAMES } from '../../src-main/store/checkpointer';
import { SQL } from '../../src-main/store/context';
import { OUTBOX_SQL } from '../../src-main/store/run-op';
import { SALE_SQL } from '../../src-main/store/sales';

const PRODUCTS = 100_000;
// Store and raw alternate in small blocks, so background load on a shared machine falls on both alike.
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? 40);
const BLOCK = 100;
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
  // Same checkpoint settings as the store's connection (the store's background checkpointer serves the file for both).
  raw.pragma(`wal_autocheckpoint = ${SAFETY_NET_AUTOCHECKPOINT_FRAMES}`);
  raw.pragma('journal_size_limit = 67108864');
  const st = {
    getOp: raw.prepare(OUTBOX_SQL.getOp), getProduct: raw.prepare(SQL.getProduct), takeStock: raw.prepare(SQL.takeStock),
    insertMovement: raw.prepare(SQL.insertMovement), bumpCounters: raw.prepare(OUTBOX_SQL.bumpCounters),
    insertSale: raw.prepare(SALE_SQL.insertSale), insertSaleLine: raw.prepare(SALE_SQL.insertSaleLine),
    insertPayment: raw.prepare(SALE_SQL.insertPayment), insertOutbox: raw.prepare(OUTBOX_SQL.insertOutbox),
  };
  interface RawProduct { id: string; sku: string; name_en: string; name_ar: string; price_minor: number }
  const payments = [{ method: 'cash', currency: 'USD', amountMinor: 100_000 }];
  // The same statements and the same data as the store's sale (down to the receipt kept for replays), with no framework.
  const rawSale = raw.transaction((opId: string, ids: string[]) => {
    st.getOp.get(opId);
    const c = st.bumpCounters.get({ r: 1, d: DEVICE }) as { last_seq: number; last_receipt_no: number };
    const at = new Date().toISOString();
    const saleId = uuidv7();
    let total = 0;
    let taxTotal = 0;
    const lines = ids.map((id) => {
      const p = st.getProduct.get(id) as RawProduct;
      if (st.takeStock.run({ t: TENANT, w: WAREHOUSE, p: id, q: 1, now: at }).changes !== 1) throw new Error('raw: no stock');
      st.insertMovement.run(uuidv7(), TENANT, WAREHOUSE, id, 'sale', -1, 0, saleId, opId, at);
      const tax = Math.round((p.price_minor * 1100) / 11100);
      total += p.price_minor;
      taxTotal += tax;
      return { productId: id, sku: p.sku, nameEn: p.name_en, nameAr: p.name_ar, quantity: 1, unitPriceMinor: p.price_minor, taxRateBp: 1100, lineTotalMinor: p.price_minor, taxMinor: tax };
    });
    st.insertSale.run(saleId, opId, DEVICE, c.last_receipt_no, 'bench', 'USD', total - taxTotal, taxTotal, total, 100_000, 100_000 - total, null, ids.length, 1, null, null, null, at);
    lines.forEach((l, i) => st.insertSaleLine.run(saleId, i + 1, l.productId, 1, l.unitPriceMinor, 1100, l.lineTotalMinor, l.taxMinor));
    st.insertPayment.run(saleId, 1, 'cash', 'USD', 100_000, null);
    const payload = JSON.stringify({ saleId, receiptNo: c.last_receipt_no, currency: 'USD', lines: lines.map((l) => ({ productId: l.productId, quantity: 1, unitPriceMinor: l.unitPriceMinor, taxRateBp: 1100 })), payments });
    const receipt = JSON.stringify({ saleId, receiptNo: c.last_receipt_no, deviceId: DEVICE, occurredAt: at, actorId: 'bench', currency: 'USD', lines, netMinor: total - taxTotal, taxMinor: taxTotal, totalMinor: total, payments, paidMinor: 100_000, changeDueMinor: 100_000 - total, discrepancyIds: [] });
    st.insertOutbox.run(opId, DEVICE, c.last_seq, 'sale', payload, 'raw-input-hash-of-the-same-length-as-sha256', 'bench', at, receipt);
  }).immediate;

  const pick = (n: number) => Array.from({ length: n }, () => products[rand(PRODUCTS)]!.id);

  const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const cpu = { store: 0, raw: 0 };

  /** Runs one block of sales through the store; returns the elapsed ms. */
  function storeBlock(lines: number, latencies: number[]): number {
    const inputs = Array.from({ length: BLOCK }, () => ({
      opId: uuidv7(), actorId: 'bench', lines: pick(lines).map((productId) => ({ productId, quantity: 1 })),
      payments: [{ method: 'cash' as const, currency: 'USD' as const, amountMinor: 100_000 }],
    }));
    const c0 = cpuMs();
    const start = process.hrtime.bigint();
    for (const input of inputs) {
      const s = process.hrtime.bigint();
      store.sell(input);
      latencies.push(ms(process.hrtime.bigint() - s));
    }
    const elapsed = ms(process.hrtime.bigint() - start);
    if (lines === 1) cpu.store += cpuMs() - c0;
    return elapsed;
  }
  function rawBlock(lines: number, latencies: number[]): number {
    const inputs = Array.from({ length: BLOCK }, () => ({ opId: uuidv7(), ids: pick(lines) }));
    const c0 = cpuMs();
    const start = process.hrtime.bigint();
    for (const i of inputs) {
      const s = process.hrtime.bigint();
      rawSale(i.opId, i.ids);
      latencies.push(ms(process.hrtime.bigint() - s));
    }
    const elapsed = ms(process.hrtime.bigint() - start);
    if (lines === 1) cpu.raw += cpuMs() - c0;
    return elapsed;
  }

  // Warm both paths (JIT, page cache) before measuring.
  for (let i = 0; i < 3; i += 1) { storeBlock(1, []); rawBlock(1, []); }
  cpu.store = 0;
  cpu.raw = 0;
  const results: Record<string, { store: number[]; raw: number[]; lat: number[]; rawLat: number[] }> = {
    '1': { store: [], raw: [], lat: [], rawLat: [] }, '3': { store: [], raw: [], lat: [], rawLat: [] },
  };
  for (let b = 0; b < BLOCKS; b += 1) {
    for (const lines of [1, 3]) {
      const res = results[String(lines)]!;
      if (b % 2 === 0) { res.store.push(storeBlock(lines, res.lat)); res.raw.push(rawBlock(lines, res.rawLat)); }
      else { res.raw.push(rawBlock(lines, res.rawLat)); res.store.push(storeBlock(lines, res.lat)); }
    }
  }
  // Throughput of the median block: one block that met a stall of the shared disk does not decide the ratio.
  const tps = (blockMs: number[]) => BLOCK / (pct(blockMs, 50) / 1000);
  const meanTps = (blockMs: number[]) => (blockMs.length * BLOCK) / (blockMs.reduce((a, b) => a + b, 0) / 1000);

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
    sale_tps: Math.round(tps(one.store)),
    raw_sale_tps: Math.round(tps(one.raw)),
    ratio: +(tps(one.store) / tps(one.raw)).toFixed(3),
    sale3_tps: Math.round(tps(three.store)),
    raw_sale3_tps: Math.round(tps(three.raw)),
    ratio3: +(tps(three.store) / tps(three.raw)).toFixed(3),
    // Over all blocks, stalls included.
    sale_tps_mean: Math.round(meanTps(one.store)),
    raw_sale_tps_mean: Math.round(meanTps(one.raw)),
    sale3_tps_mean: Math.round(meanTps(three.store)),
    raw_sale3_tps_mean: Math.round(meanTps(three.raw)),
    // CPU per 1-line sale (user + system), insensitive to fsync stalls from other processes.
    store_cpu_us_per_sale: Math.round((cpu.store * 1000) / (BLOCKS * BLOCK)),
    raw_cpu_us_per_sale: Math.round((cpu.raw * 1000) / (BLOCKS * BLOCK)),
    commit_p50_ms: +pct(one.lat, 50).toFixed(3),
    commit_p99_ms: +pct(one.lat, 99).toFixed(3),
    commit3_p50_ms: +pct(three.lat, 50).toFixed(3),
    commit3_p99_ms: +pct(three.lat, 99).toFixed(3),
    // The same statements without the store: how much of the tail is the disk's.
    raw_commit_p50_ms: +pct(one.rawLat, 50).toFixed(3),
    raw_commit_p99_ms: +pct(one.rawLat, 99).toFixed(3),
    lookup_p50_ms: +pct(lookupLat, 50).toFixed(4),
    lookup_p99_ms: +pct(lookupLat, 99).toFixed(4),
    search_p50_ms: +pct(searchLat, 50).toFixed(4),
    search_p99_ms: +pct(searchLat, 99).toFixed(4),
    load_100k_s: +loadS.toFixed(2),
    verify_ms: Math.round(verifyMs),
  };
  const rows: Array<[string, string, string]> = [
    ['1-line sale', `${out.sale_tps}/s (p50 ${out.commit_p50_ms} ms, p99 ${out.commit_p99_ms} ms)`, `raw ${out.raw_sale_tps}/s (p50 ${out.raw_commit_p50_ms} ms, p99 ${out.raw_commit_p99_ms} ms), ratio ${out.ratio}`],
    ['3-line sale', `${out.sale3_tps}/s (p50 ${out.commit3_p50_ms} ms, p99 ${out.commit3_p99_ms} ms)`, `raw ${out.raw_sale3_tps}/s, ratio ${out.ratio3}`],
    ['mean over all blocks', `1-line ${out.sale_tps_mean}/s, 3-line ${out.sale3_tps_mean}/s`, `raw ${out.raw_sale_tps_mean}/s, ${out.raw_sale3_tps_mean}/s`],
    ['CPU per 1-line sale', `store ${out.store_cpu_us_per_sale} us`, `raw ${out.raw_cpu_us_per_sale} us`],
    ['barcode/SKU lookup', `p50 ${out.lookup_p50_ms} ms, p99 ${out.lookup_p99_ms} ms`, `${LOOKUPS} lookups`],
    ['name search (en/ar)', `p50 ${out.search_p50_ms} ms, p99 ${out.search_p99_ms} ms`, `${SEARCHES} searches, limit 20`],
    ['load 100k products + opening stock', `${out.load_100k_s} s`, ''],
    ['verifyConsistency', `${out.verify_ms} ms`, 'clean'],
  ];
  console.log(`branch store, ${PRODUCTS} products, WAL + synchronous=FULL, ${BLOCKS} alternating blocks x ${BLOCK} sales per kind and side; sales/s of the median block`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(36)} ${b.padEnd(44)} ${c}`);
  console.log(JSON.stringify(out));
}

main();
