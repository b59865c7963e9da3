/*
 * npm run bench:sync [-- --postgres]: the sync path end to end, branch SQLite
 * file -> sync engine -> real HTTP on loopback -> central (PGlite, or a fresh
 * PostgreSQL database with --postgres and TEST_DATABASE_URL).
 *  1. One branch that was offline with 10,000 queued ops drains to central.
 *  2. 20 branches, 1,000 queued ops each, reconnect at once; every answer's
 *     status is counted (5xx must be 0).
 * Baseline, same run, same central: central's own push core (pushOperations)
 * called in-process with the same kind of ops, no HTTP and no branch: the
 * ratio says what the branch side and the wire cost on top of applying.
 * Prints a table, then one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pushOperations } from '../../src-server/sync/push';
import { uuidv7 } from '../../src-shared/ids';
import type { Operation } from '../../src-shared/operations';
import { MAX_PUSH_BATCH } from '../../src-shared/sync';
import { startCentral, type Central, type Shop } from '../sim/central';
import { openNode, type BranchNode } from '../sim/node';

const { values } = parseArgs({ options: { postgres: { type: 'boolean' }, ops: { type: 'string' }, branches: { type: 'string' }, each: { type: 'string' } } });
const DRAIN_OPS = Number(values.ops ?? 10_000);
const BRANCHES = Number(values.branches ?? 20);
const EACH = Number(values.each ?? 1_000);
const BASELINE_OPS = 2_000;
const ACTOR = 'bench';
const cash = [{ method: 'cash' as const, currency: 'USD' as const, amountMinor: 10_000_000 }];

/** Queues `n` ops at a branch the way a shop day does: mostly sales, some receipts and adjustments. */
function queue(node: BranchNode, productIds: string[], n: number): void {
  for (let i = 0; i < n; i += 1) {
    const productId = productIds[i % productIds.length] ?? '';
    const opId = uuidv7();
    if (i % 10 < 7) node.store.sell({ opId, actorId: ACTOR, lines: [{ productId, quantity: 1 }], payments: cash });
    else if (i % 10 < 9) node.store.receive({ opId, actorId: ACTOR, source: { kind: 'adhoc' }, lines: [{ productId, receivedQuantity: 5 }] });
    else node.store.adjust({ opId, actorId: ACTOR, reason: 'damaged', lines: [{ productId, quantityDelta: -1 }] });
  }
}

async function drain(node: BranchNode): Promise<void> {
  for (let i = 0; i < 10_000 && node.store.sync.counters().pendingOps > 0; i += 1) {
    const r = await node.engine.syncNow();
    if (r.kind === 'failed') await new Promise((res) => setTimeout(res, 20));
  }
  if (node.store.sync.counters().pendingOps > 0) throw new Error(`${node.id.name} did not drain`);
}

function nodesFor(shop: Shop, central: Central, dir: string, fetchCounting: typeof fetch): BranchNode[] {
  return shop.tills.map((d, i) => openNode({ name: `b${i}`, tenantId: shop.tenant.tenantId, warehouseId: d.warehouseId, deviceId: d.deviceId, token: d.token },
    dir, central.url, { fetch: fetchCounting, pushBatch: MAX_PUSH_BATCH, pullLimit: 1000 }));
}

async function baseline(central: Central): Promise<number> {
  const shop = await central.newShop({ tillsPerWarehouse: [1], products: 20, stock: 1_000_000 });
  const d = shop.tills[0];
  if (!d) throw new Error('no device');
  const ops: Operation[] = [];
  for (let seq = 1; seq <= BASELINE_OPS; seq += 1) {
    const productId = shop.tenant.productIds[seq % shop.tenant.productIds.length] ?? '';
    ops.push({
      opId: uuidv7(), seq, occurredAt: new Date().toISOString(), type: 'sale',
      payload: { saleId: uuidv7(), receiptNo: seq, currency: 'USD', lines: [{ productId, quantity: 1, unitPriceMinor: 250, taxRateBp: 1100 }], payments: [{ method: 'cash', currency: 'USD', amountMinor: 250 }] },
    });
  }
  const t = performance.now();
  for (let i = 0; i < ops.length; i += MAX_PUSH_BATCH) {
    await pushOperations(central.db, { tenantId: shop.tenant.tenantId, warehouseId: d.warehouseId, deviceId: d.deviceId }, ops.slice(i, i + MAX_PUSH_BATCH));
  }
  return BASELINE_OPS / ((performance.now() - t) / 1000);
}

const started = performance.now();
/** Progress on stderr, so a long run shows where it is and the last stdout line stays the JSON. */
const step = (what: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${what}\n`);

async function main(): Promise<void> {
  const kind = values.postgres ? 'postgres' : 'pglite';
  if (kind === 'postgres' && !process.env.TEST_DATABASE_URL) throw new Error('--postgres needs TEST_DATABASE_URL (a superuser URL)');
  const central = await startCentral(kind);
  const dir = mkdtempSync(join(tmpdir(), 'bp-bench-sync-'));
  let status5xx = 0;
  let requests = 0;
  const counting: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    requests += 1;
    if (res.status >= 500) status5xx += 1;
    return res;
  };
  const nodes: BranchNode[] = [];
  try {
    // 1. One branch, 10,000 ops queued while offline.
    const shop1 = await central.newShop({ tillsPerWarehouse: [1], products: 20, stock: 1_000_000 });
    const [one] = nodesFor(shop1, central, dir, counting);
    if (!one) throw new Error('no node');
    nodes.push(one);
    await one.engine.syncNow(); // catalog and opening stock, before going "offline"
    step(`queueing ${DRAIN_OPS} ops at one branch`);
    let t = performance.now();
    queue(one, shop1.tenant.productIds, DRAIN_OPS);
    const queueS = (performance.now() - t) / 1000;
    step('draining');
    t = performance.now();
    await drain(one);
    const drainS = (performance.now() - t) / 1000;

    // 2. Twenty branches with 1,000 ops each reconnect at once.
    const shop2 = await central.newShop({ tillsPerWarehouse: Array.from({ length: BRANCHES }, () => 1), products: 20, stock: 1_000_000 });
    const many = nodesFor(shop2, central, join(dir, 'many'), counting);
    nodes.push(...many);
    for (const n of many) await n.engine.syncNow();
    step(`queueing ${EACH} ops at each of ${BRANCHES} branches`);
    for (const n of many) queue(n, shop2.tenant.productIds, EACH);
    step('all reconnect at once');
    const before5xx = status5xx;
    t = performance.now();
    await Promise.all(many.map((n) => drain(n)));
    const reconnectS = (performance.now() - t) / 1000;
    const reconnect5xx = status5xx - before5xx;

    step('baseline');
    const baseOps = await baseline(central);
    const drainOps = DRAIN_OPS / drainS;
    const rows: Array<[string, string]> = [
      ['central database', kind],
      [`queue ${DRAIN_OPS} ops at the branch (store, offline)`, `${queueS.toFixed(2)} s`],
      [`drain ${DRAIN_OPS} ops to central (push + pull)`, `${drainS.toFixed(2)} s, ${Math.round(drainOps)} ops/s`],
      [`baseline: central push core in-process (${BASELINE_OPS} sales)`, `${Math.round(baseOps)} ops/s`],
      ['end to end / baseline', `${(drainOps / baseOps).toFixed(2)}`],
      [`${BRANCHES} branches x ${EACH} ops reconnecting at once`, `${reconnectS.toFixed(2)} s, ${Math.round((BRANCHES * EACH) / reconnectS)} ops/s`],
      ['5xx answers (must be 0)', `${status5xx} of ${requests} requests (${reconnect5xx} during reconnect)`],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
    console.log(JSON.stringify({
      database: kind, drain_10k_s: Number(drainS.toFixed(3)), drain_ops_per_s: Math.round(drainOps), baseline_push_ops_per_s: Math.round(baseOps),
      ratio_vs_baseline: Number((drainOps / baseOps).toFixed(3)), reconnect_20x1k_s: Number(reconnectS.toFixed(3)), errors_5xx: status5xx, requests,
    }));
    if (status5xx > 0) process.exitCode = 1;
  } finally {
    for (const n of nodes) await n.close().catch(() => undefined);
    await central.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
