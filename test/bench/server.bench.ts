/*
 * npm run bench:server — central API throughput and summary latency.
 * PostgreSQL when DATABASE_URL or TEST_DATABASE_URL (a superuser URL: the
 * bench creates and drops its own database) is set, else in-memory PGlite.
 * Prints a table, then one JSON line.
 *
 * The summary latency (section 4), as a back-office client sees it: on
 * PostgreSQL the API runs as its own process (src-server/main.ts, as in
 * production; server/api-process.ts) and the client too
 * (server/summary-client.ts), after an untimed warm-up of one request per
 * tenant; each sample runs to the answer's last byte, as curl's time_total or
 * wrk count it, and every answer is unzipped and checked after the clock
 * stops. Before, server and client shared this process: the bench's own heap
 * and the client's JSON.parse of 130 KB made GC pauses counted against the
 * server. The loaded tables are vacuumed before sampling, as a real database
 * is (server/setup.ts). PGlite in memory cannot be shared between processes,
 * so there the server is this process's app.
 */
import { uuidv7 } from '../../src-shared/ids';
import { PushResponse } from '../../src-shared/sync';
import { alternate, closedLoop, percentile, round } from './server/measure';
import { rawReserve } from './server/raw';
import { rawSaleGroup } from './server/raw-group';
import { loadSummaryTenants, rawTransactions, setSummaryTrigger } from './server/setup';
import { startApiProcess } from './server/api-process';
import { summaryOverHttp } from './server/summary-client';

const superUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (superUrl) process.env.TEST_DATABASE_URL = superUrl;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
/** Each side of a comparison runs in this many alternating slices. */
const SLICES = 3;
const ADMIN = 'bench-admin-token-0123456789abcdef';

async function main(): Promise<void> {
  const { createTestDatabase } = await import('../src-server/support/databases');
  const { insertDevice, seedTenant } = await import('../src-server/support/seed');
  const { opBuilder } = await import('../src-server/support/ops');
  const { buildApp } = await import('../../src-server/http/app');
  const { makeConfig } = await import('../../src-server/config');
  const { pushOperations } = await import('../../src-server/sync/push');
  const { readInventorySummary, readInventorySummaryJson } = await import('../../src-server/reports/summary');

  const kind = superUrl ? 'postgres' as const : 'pglite' as const;
  const t = await createTestDatabase(kind, 24);
  const app = buildApp({ db: t.db, config: makeConfig({ adminToken: ADMIN, logLevel: 'silent' }) });
  // The server's own share of a summary request (Fastify's elapsedTime: from
  // the request's arrival to the answer handed to the socket), to tell the
  // server's latency from the client's and the scheduler's on a shared box.
  const serverSummaryMs: number[] = [];
  app.addHook('onResponse', async (req, reply) => {
    if (req.routeOptions.url?.endsWith('/inventory-summary')) serverSummaryMs.push(reply.elapsedTime);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  const base = `http://127.0.0.1:${addr.port}`;
  const raw = rawTransactions(t, 16);
  const ms = SECONDS * 1000;
  const rows: [string, string, string][] = [];

  /** Devices added in one transaction, one statement after another (a transaction is one connection). */
  async function addDevices(tenantId: string, warehouseIds: string[]) {
    return t.db.withTenant(tenantId, async (tx) => {
      const out = [];
      for (const w of warehouseIds) out.push(await insertDevice(tx, tenantId, w));
      return out;
    });
  }

  async function push(token: string, ops: unknown[]): Promise<PushResponse> {
    const res = await fetch(`${base}/v1/sync/push`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ops }) });
    if (res.status !== 200) throw new Error(`push ${res.status}: ${await res.text()}`);
    return PushResponse.parse(await res.json());
  }

  try {
    // 1. Push: 8 devices at 8 warehouses, batches of 20 one-line sales, over HTTP; then the same statements raw.
    const shop = await seedTenant(t.db, { warehouses: 8, products: 1000, stock: 1_000_000 });
    const builders = shop.devices.map((d) => opBuilder(shop.tenantId, d));
    const pick = (i: number) => shop.productIds[(i * 7919) % shop.productIds.length]!;
    const rawDevices = await addDevices(shop.tenantId, shop.warehouseIds);
    const rawBuilders = rawDevices.map((d) => opBuilder(shop.tenantId, d));
    let batch = 0;
    const [pushed, rawPushed] = await alternate(SLICES, ms / SLICES,
      (slice) => closedLoop(8, slice, async (c) => {
        const b = builders[c]!;
        batch += 1;
        const ops = Array.from({ length: 20 }, (_, k) => b.sale([{ productId: pick(batch * 20 + k + c), quantity: 1 }]));
        const r = await push(shop.devices[c]!.token, ops);
        return r.results.filter((x) => x.status === 'applied').length;
      }),
      (slice) => closedLoop(8, slice, async (c, i) => {
        // The same batches of 20, applied as central applies a group (server/raw-group.ts).
        const ops = Array.from({ length: 20 }, (_, k) => rawBuilders[c]!.sale([{ productId: pick(i * 20 + k + c), quantity: 1 }]));
        await rawSaleGroup(raw.tx, shop.tenantId, rawDevices[c]!.deviceId, rawDevices[c]!.warehouseId, ops.map((op) => {
          if (op.type !== 'sale') throw new Error('not a sale');
          return op;
        }));
        return 20;
      }));
    rows.push(['push, 8 devices (HTTP, 20 ops/batch)', `${round(pushed.perSecond)} ops/s`, `${pushed.ops} ops`]);
    rows.push(['same statements raw, 8 clients', `${round(rawPushed.perSecond)} ops/s`, `${rawPushed.ops} ops`]);

    // 2. Hot product: 16 clients reserving one unit each of one product at one warehouse (HTTP, one op per request).
    const STOCK = 4000;
    const hot = await seedTenant(t.db, { warehouses: 1, products: 1, stock: STOCK });
    const hotDevices = await addDevices(hot.tenantId, Array.from({ length: 16 }, () => hot.warehouseIds[0]!));
    const hotBuilders = hotDevices.map((d) => opBuilder(hot.tenantId, d));
    const hotRaw = await seedTenant(t.db, { warehouses: 1, products: 1, stock: STOCK });
    const hotRawDevices = await addDevices(hotRaw.tenantId, Array.from({ length: 16 }, () => hotRaw.warehouseIds[0]!));
    const rawSeq = hotRawDevices.map(() => 0);
    let held = 0;
    const [reserved, rawHot] = await alternate(SLICES, ms / SLICES,
      (slice) => closedLoop(16, slice, async (c) => {
        const r = await push(hotDevices[c]!.token, [hotBuilders[c]!.reserve([{ productId: hot.productIds[0]!, quantity: 1 }])]);
        if (r.results[0]?.result?.outcome === 'held') held += 1;
        return 1;
      }),
      (slice) => closedLoop(16, slice, async (c) => {
        rawSeq[c] = (rawSeq[c] ?? 0) + 1;
        await rawReserve(raw.tx, hotRaw.tenantId, hotRawDevices[c]!.deviceId, hotRaw.warehouseIds[0]!, hotRaw.productIds[0]!, uuidv7(), rawSeq[c]!);
        return 1;
      }));
    const level = await t.db.withTenant(hot.tenantId, (tx) => tx.query<{ quantity: number; reserved: number }>('SELECT quantity, reserved FROM inventory_levels'));
    const lv = level.rows[0] ?? { quantity: 0, reserved: 0 };
    const oversold = Math.max(0, lv.reserved - lv.quantity) + Math.max(0, held - STOCK) + Math.abs(lv.reserved - held);
    rows.push(['hot reservations, 16 clients (HTTP)', `${round(reserved.perSecond)} ops/s`, `${held} held of ${reserved.ops}; oversold ${oversold}`]);
    rows.push(['same statements raw, 16 clients', `${round(rawHot.perSecond)} ops/s`, `${rawHot.ops} ops`]);

    // 3. One product sold at 10 warehouses by 16 clients, summary trigger on vs off (function level: the database is what differs).
    const ten = await seedTenant(t.db, { warehouses: 10, products: 1, stock: 1_000_000 });
    const tenDevices = await addDevices(ten.tenantId, Array.from({ length: 16 }, (_, i) => ten.warehouseIds[i % 10]!));
    const tenBuilders = tenDevices.map((d) => opBuilder(ten.tenantId, d));
    const sellOne = (c: number) => pushOperations(t.db, tenBuilders[c]!.ctx, [tenBuilders[c]!.sale([{ productId: ten.productIds[0]!, quantity: 1 }])]).then(() => 1);
    const [on, off] = await alternate(SLICES, ms / SLICES,
      async (slice) => { await setSummaryTrigger(t, true); return closedLoop(16, slice, sellOne); },
      async (slice) => { await setSummaryTrigger(t, false); return closedLoop(16, slice, sellOne); });
    await setSummaryTrigger(t, true);
    const withSummary = on.perSecond;
    const withoutSummary = off.perSecond;
    rows.push(['1 product at 10 warehouses, summary on', `${round(withSummary)} sales/s`, '16 clients']);
    rows.push(['1 product at 10 warehouses, summary off', `${round(withoutSummary)} sales/s`, '16 clients']);

    // 4. Summary reads at 100 tenants x 10 warehouses x 1,000 products (10 tenants on PGlite), with unfolded deltas present.
    const tenantsN = kind === 'postgres' ? 100 : 10;
    const loadStart = performance.now();
    const benchTenants = (await loadSummaryTenants(t, tenantsN, 10, 1000)).filter((id) => ![shop, hot, hotRaw, ten].some((s) => s.tenantId === id));
    const loadS = (performance.now() - loadStart) / 1000;
    for (const id of benchTenants.slice(0, 20)) {
      await t.db.withTenant(id, (tx) => tx.query(`UPDATE inventory_levels SET quantity = quantity - 1 WHERE product_id IN (SELECT id FROM products ORDER BY id LIMIT 50)`));
    }
    // HTTP: the client runs in a process of its own, after an untimed warm-up
    // of one request per tenant (see server/summary-client.ts). On PostgreSQL
    // the server does too (server/api-process.ts); PGlite in memory cannot be
    // shared between processes, so there it is this process's app.
    const SUMMARY_ROUTE = '/v1/admin/tenants/:tenantId/inventory-summary';
    const api = kind === 'postgres' && t.appUrl ? await startApiProcess(t.appUrl, ADMIN) : null;
    let httpSamples: number[];
    let serverCell: string;
    let serverShare: Record<string, number> = {};
    try {
      const before = await api?.durationBuckets(SUMMARY_ROUTE);
      httpSamples = await summaryOverHttp({ base: api?.base ?? base, token: ADMIN, tenantIds: benchTenants, samples: 300, rows: 1000 });
      if (api && before) {
        // The server's own histogram (its /metrics), warm-up requests included.
        const after = await api.durationBuckets(SUMMARY_ROUTE);
        const n = (le: string) => (after.get(le) ?? 0) - (before.get(le) ?? 0);
        const total = n('+Inf');
        serverShare = { summary_server_le5ms_share: round(n('0.005') / total, 3), summary_server_le10ms_share: round(n('0.01') / total, 3) };
        serverCell = `${round(100 * n('0.005') / total, 1)}% <= 5 ms, ${round(100 * n('0.01') / total, 1)}% <= 10 ms of ${total}`;
      } else {
        const serverSamples = serverSummaryMs.slice(-httpSamples.length);
        serverShare = { summary_server_p99_ms: round(percentile(serverSamples, 99), 2) };
        serverCell = `p50 ${round(percentile(serverSamples, 50), 2)} ms, p99 ${round(percentile(serverSamples, 99), 2)} ms`;
      }
    } finally {
      await api?.stop();
    }
    // Function level, in this process: the rows (readInventorySummary) and the
    // JSON text the route sends (readInventorySummaryJson), one of each per tenant.
    const fnSamples: number[] = [];
    const fnJsonSamples: number[] = [];
    for (let i = 0; i < 300; i += 1) {
      const id = benchTenants[(i * 37) % benchTenants.length]!;
      const s0 = performance.now();
      const got = await readInventorySummary(t.db, id, { limit: 1000 });
      fnSamples.push(performance.now() - s0);
      const s1 = performance.now();
      const json = await readInventorySummaryJson(t.db, id, { limit: 1000 });
      fnJsonSamples.push(performance.now() - s1);
      if (got.length !== 1000 || json === null || json.length < 1000) throw new Error(`summary function: ${got.length} rows, ${json?.length ?? 0} chars`);
    }
    const p = (xs: number[]) => `p50 ${round(percentile(xs, 50), 2)} ms, p99 ${round(percentile(xs, 99), 2)} ms`;
    rows.push([`summary per tenant, 1,000 products (HTTP), ${tenantsN} tenants`, p(httpSamples),
      `load ${round(loadS)} s; to the last byte; client${api ? ' and server' : ''} in a process of its own, warmed up`]);
    rows.push(['summary per tenant (server time of those requests)', serverCell, api ? "the server's /metrics histogram" : 'arrival to answer written, no client']);
    rows.push(['summary per tenant (function, rows)', p(fnSamples), '']);
    rows.push(['summary per tenant (function, JSON text)', p(fnJsonSamples), '']);

    const result = {
      database: kind,
      push_ops_per_s: round(pushed.perSecond),
      raw_ops_per_s: round(rawPushed.perSecond),
      ratio: round(pushed.perSecond / rawPushed.perSecond, 2),
      hot_reserve_tps: round(reserved.perSecond),
      raw_hot_reserve_tps: round(rawHot.perSecond),
      oversold,
      summary_p99_ms: round(percentile(httpSamples, 99), 2),
      summary_p50_ms: round(percentile(httpSamples, 50), 2),
      ...serverShare,
      summary_fn_p99_ms: round(percentile(fnSamples, 99), 2),
      summary_fn_json_p99_ms: round(percentile(fnJsonSamples, 99), 2),
      summary_tenants: tenantsN,
      sales_per_s_summary_on: round(withSummary),
      sales_per_s_summary_off: round(withoutSummary),
      summary_write_ratio: round(withSummary / withoutSummary, 2),
    };
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    console.log(`\nbranchpos central API benchmark (${kind}, ${SECONDS} s per side, in ${SLICES} alternating slices)\n`);
    for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
    console.log('');
    console.log(JSON.stringify(result));
  } finally {
    await raw.close();
    await app.close();
    await t.drop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
