import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../../src-shared/errors';
import { uuidv7 } from '../../../src-shared/ids';
import type { Operation } from '../../../src-shared/operations';
import type { PushResponse } from '../../../src-shared/sync';
import { pushOperations } from '../../../src-server/sync/push';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases';
import { opBuilder, type OpBuilder } from '../support/ops';
import { insertDevice, seedTenant, type SeededTenant } from '../support/seed';
import { countRows, levelsOf, movementsMatchLevels } from '../support/state';

/*
 * Group commit (src-server/sync/push-group.ts): many ops share a transaction.
 * The yardstick is the one-op-per-transaction path (groupMax 1): the same ops
 * must leave the same results, levels and records, whatever lands in a group.
 */

const TABLES = ['applied_ops', 'sales', 'receipts', 'adjustments', 'reservations', 'follow_ups', 'discrepancies', 'inventory_movements'];

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** A shop day by product index: sales (some past zero), receipts, adjustments, reservations (some refused), and refusals (unknown products). */
function shopDay(b: OpBuilder, productIds: readonly string[], n: number, seed: number): Operation[] {
  const r = rng(seed);
  const ops: Operation[] = [];
  for (let i = 0; i < n; i += 1) {
    const productId = productIds[Math.floor(r() * productIds.length)] ?? '';
    const x = r();
    const quantity = 1 + Math.floor(r() * 3);
    if (x < 0.55) ops.push(b.sale([{ productId, quantity }]));
    else if (x < 0.7) ops.push(b.next('receive', { receiptId: uuidv7(), source: { kind: 'adhoc' }, lines: [{ productId, receivedQuantity: 4 }] }));
    else if (x < 0.8) ops.push(b.next('adjust', { adjustmentId: uuidv7(), reason: 'damaged', lines: [{ productId, quantityDelta: -1 }] }));
    else if (x < 0.95) ops.push(b.reserve([{ productId, quantity: quantity + 2 }]));
    else ops.push(b.sale([{ productId: uuidv7(), quantity: 1 }]));
  }
  return ops;
}

function outcomes(r: PushResponse): string[] {
  return r.results.map((x) => `${x.seq}:${x.status}:${x.error?.code ?? ''}`);
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isDomainError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a refusal');
}

async function levelsByIndex(t: TestDatabase, s: SeededTenant): Promise<string[]> {
  const rows = await levelsOf(t.db, s.tenantId);
  return rows.map((l) => `${s.warehouseIds.indexOf(l.warehouseId)}/${s.productIds.indexOf(l.productId)}: ${l.quantity} ${l.reserved}`).sort();
}

describe.each(databaseKinds)('push in groups (%s)', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase(kind); });
  afterAll(async () => { await t.drop(); });

  it('leaves exactly what one op per transaction leaves: results, levels, records', async () => {
    const grouped = await seedTenant(t.db, { warehouses: 1, products: 6, stock: 8 });
    const single = await seedTenant(t.db, { warehouses: 1, products: 6, stock: 8 });
    const gb = opBuilder(grouped.tenantId, grouped.devices[0]!);
    const sb = opBuilder(single.tenantId, single.devices[0]!);
    const gOps = shopDay(gb, grouped.productIds, 400, 7);
    const sOps = shopDay(sb, single.productIds, 400, 7);
    const g: string[] = [];
    const s: string[] = [];
    for (let i = 0; i < 400; i += 200) {
      g.push(...outcomes(await pushOperations(t.db, gb.ctx, gOps.slice(i, i + 200), 64)));
      s.push(...outcomes(await pushOperations(t.db, sb.ctx, sOps.slice(i, i + 200), 1)));
    }
    expect(g).toEqual(s);
    // The day holds every kind of outcome, so the groups were really cut by refusals.
    expect(g.filter((x) => x.endsWith(':refused:unknown_product')).length).toBeGreaterThan(5);
    expect(g.filter((x) => x.includes(':applied:')).length).toBeGreaterThan(300);
    expect(await levelsByIndex(t, grouped)).toEqual(await levelsByIndex(t, single));
    for (const table of TABLES) expect(await countRows(t.db, grouped.tenantId, table), table).toBe(await countRows(t.db, single.tenantId, table));
    expect(await countRows(t.db, grouped.tenantId, 'follow_ups')).toBeGreaterThan(0);
    expect(await countRows(t.db, grouped.tenantId, 'discrepancies')).toBeGreaterThan(0);
    expect(await movementsMatchLevels(t.db, grouped.tenantId)).toBe(true);
  });

  it('a batch re-sent with new ops behind it answers the stored results and applies only the new', async () => {
    const s = await seedTenant(t.db, { warehouses: 1, products: 3, stock: 100 });
    const b = opBuilder(s.tenantId, s.devices[0]!);
    const ops = shopDay(b, s.productIds, 60, 11);
    const first = await pushOperations(t.db, b.ctx, ops.slice(0, 40));
    const both = await pushOperations(t.db, b.ctx, ops);
    expect(both.results.slice(0, 40)).toEqual(first.results);
    expect(both.lastAppliedSeq).toBe(60);
    expect(await countRows(t.db, s.tenantId, 'applied_ops')).toBe(60);
    expect(await movementsMatchLevels(t.db, s.tenantId)).toBe(true);
  });

  it('a transfer is applied alone, between the groups before and after it (it locks its transfer row before levels)', async () => {
    const s = await seedTenant(t.db, { warehouses: 2, products: 2, stock: 100 });
    const b = opBuilder(s.tenantId, s.devices[0]!);
    const sales = () => Array.from({ length: 10 }, () => b.sale([{ productId: s.productIds[0]!, quantity: 1 }]));
    const before = sales();
    const transfer = b.next('transfer_out', { transferId: uuidv7(), toWarehouseId: s.warehouseIds[1]!, lines: [{ productId: s.productIds[0]!, quantity: 5 }] });
    const after = sales();
    const r = await pushOperations(t.db, b.ctx, [...before, transfer, ...after]);
    expect(r.results.every((x) => x.status === 'applied')).toBe(true);
    const txs = await t.db.withTenant(s.tenantId, (tx) => tx.query<{ n: number }>('SELECT count(DISTINCT applied_at)::int AS n FROM applied_ops'));
    expect(txs.rows[0]?.n).toBe(3);
  });

  it('a gap inside a group commits the ops before it, then answers 409', async () => {
    const s = await seedTenant(t.db, { warehouses: 1, products: 2, stock: 100 });
    const b = opBuilder(s.tenantId, s.devices[0]!);
    const ops = Array.from({ length: 10 }, () => b.sale([{ productId: s.productIds[0]!, quantity: 1 }]));
    expect(await code(pushOperations(t.db, b.ctx, [...ops.slice(0, 5), ...ops.slice(6)]))).toBe('sequence_gap');
    expect(await countRows(t.db, s.tenantId, 'applied_ops')).toBe(5);
    expect((await pushOperations(t.db, b.ctx, ops.slice(5))).lastAppliedSeq).toBe(10);
    expect(await countRows(t.db, s.tenantId, 'sales')).toBe(10);
  });

  it('an op id used twice in one group: the ops before it commit, the second use is a conflict, nothing of it is written', async () => {
    const s = await seedTenant(t.db, { warehouses: 1, products: 2, stock: 100 });
    const b = opBuilder(s.tenantId, s.devices[0]!);
    const ops = Array.from({ length: 6 }, () => b.sale([{ productId: s.productIds[1]!, quantity: 1 }]));
    const reused = { ...ops[3]!, opId: ops[1]!.opId } as Operation;
    expect(await code(pushOperations(t.db, b.ctx, [ops[0]!, ops[1]!, ops[2]!, reused, ops[4]!, ops[5]!]))).toBe('op_conflict');
    expect(await countRows(t.db, s.tenantId, 'applied_ops')).toBe(3);
    expect(await countRows(t.db, s.tenantId, 'sales')).toBe(3);
    expect(await movementsMatchLevels(t.db, s.tenantId)).toBe(true);
  });

  it('four tills of one warehouse pushing groups at once over the same products lose nothing and do not deadlock', async () => {
    const s = await seedTenant(t.db, { warehouses: 1, products: 20, stock: 1000 });
    const [w] = s.warehouseIds as [string];
    const more = await t.db.withTenant(s.tenantId, async (tx) => [await insertDevice(tx, s.tenantId, w), await insertDevice(tx, s.tenantId, w), await insertDevice(tx, s.tenantId, w)]);
    const tills = [s.devices[0]!, ...more].map((d) => opBuilder(s.tenantId, d));
    // Each till sells the products in its own order, so without care groups would lock rows crosswise.
    const batches = tills.map((b, k) => Array.from({ length: 300 }, (_, i) => b.sale([{ productId: s.productIds[(k * 5 + i * (k + 1) * 7) % 20]!, quantity: 1 }])));
    await Promise.all(tills.map(async (b, k) => {
      for (let i = 0; i < 300; i += 100) {
        const r = await pushOperations(t.db, b.ctx, batches[k]!.slice(i, i + 100));
        expect(r.results.every((x) => x.status === 'applied')).toBe(true);
      }
    }));
    const levels = await levelsOf(t.db, s.tenantId);
    expect(levels.reduce((sum, l) => sum + l.quantity, 0)).toBe(20 * 1000 - 4 * 300);
    expect(await countRows(t.db, s.tenantId, 'applied_ops')).toBe(1200);
    expect(await movementsMatchLevels(t.db, s.tenantId)).toBe(true);
    // applied_at is the transaction's start: one value per group when no group fell back to one op per transaction (a deadlock).
    const txs = await t.db.withTenant(s.tenantId, (tx) => tx.query<{ n: number }>('SELECT count(DISTINCT applied_at)::int AS n FROM applied_ops GROUP BY device_id'));
    expect(txs.rows.map((x) => x.n)).toEqual([3, 3, 3, 3]);
  }, 60_000);
});
