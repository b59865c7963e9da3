import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import type { Operation } from '../../../src-shared/operations';
import type { OpResult } from '../../../src-shared/sync';
import { processOutboxOnce } from '../../../src-server/outbox/worker';
import { pushOperations } from '../../../src-server/sync/push';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases';
import { opBuilder, type OpBuilder } from '../support/ops';
import { seedTenant, type SeededTenant } from '../support/seed';
import { levelOf, movementsMatchLevels } from '../support/state';

describe.each(databaseKinds)('conflict policy: transfers between branches (%s)', (kind) => {
  let t: TestDatabase;
  let s: SeededTenant;
  let src: OpBuilder;
  let dst: OpBuilder;
  let p: string;
  let q: string;
  beforeAll(async () => { t = await createTestDatabase(kind); });
  afterAll(async () => { await t.drop(); });

  async function fresh(stock = 10): Promise<void> {
    s = await seedTenant(t.db, { stock, warehouses: 3 });
    src = opBuilder(s.tenantId, s.devices[0]!);
    dst = opBuilder(s.tenantId, s.devices[1]!);
    p = s.productIds[0]!;
    q = s.productIds[1]!;
  }
  const push = async (b: OpBuilder, ...ops: Operation[]): Promise<OpResult[]> => (await pushOperations(t.db, b.ctx, ops)).results;
  const out = (transferId: string, lines: { productId: string; quantity: number }[]) =>
    src.next('transfer_out', { transferId, toWarehouseId: s.warehouseIds[1]!, lines });
  const inn = (transferId: string, lines: { productId: string; quantity: number }[]) =>
    dst.next('transfer_in', { transferId, fromWarehouseId: s.warehouseIds[0]!, lines });
  const at = (i: number, product = p) => levelOf(t.db, s.tenantId, s.warehouseIds[i]!, product);
  const transfer = (id: string) => t.db.withTenant(s.tenantId, (tx) => tx.query<{ status: string; announced: boolean }>(
    'SELECT status, announced_at IS NOT NULL AS announced FROM transfers WHERE id = $1', [id])).then((r) => r.rows[0]);
  const discrepancies = () => t.db.withTenant(s.tenantId, (tx) => tx.query<{ kind: string; quantity: number; warehouse_id: string }>(
    'SELECT kind, quantity, warehouse_id FROM discrepancies ORDER BY created_at, id')).then((r) => r.rows);

  it('R15: transfer_out debits the source at once and creates the transfer in transit with an outbox event', async () => {
    await fresh(3);
    const id = uuidv7();
    const [r] = await push(src, out(id, [{ productId: p, quantity: 5 }]));
    expect(r).toMatchObject({ status: 'applied', result: { transferStatus: 'in_transit' } });
    expect((await at(0))?.quantity).toBe(-2);
    expect((await discrepancies()).map((d) => [d.kind, d.quantity])).toEqual([['negative_stock', -2]]);
    expect(await transfer(id)).toEqual({ status: 'in_transit', announced: false });
    const [self] = await push(src, src.next('transfer_out', { transferId: uuidv7(), toWarehouseId: s.warehouseIds[0]!, lines: [{ productId: p, quantity: 1 }] }));
    expect(self).toMatchObject({ status: 'refused', error: { code: 'validation' } });
    const [unknown] = await push(src, src.next('transfer_out', { transferId: uuidv7(), toWarehouseId: uuidv7(), lines: [{ productId: p, quantity: 1 }] }));
    expect(unknown).toMatchObject({ status: 'refused', error: { code: 'unknown_warehouse' } });
  });

  it('R16: the outbox worker credits the destination expected inbound once', async () => {
    await fresh();
    const id = uuidv7();
    await push(src, out(id, [{ productId: p, quantity: 4 }, { productId: q, quantity: 1 }]));
    expect((await at(1))?.inTransit).toBe(0);
    const first = await processOutboxOnce(t.db, { workerId: 'a' });
    expect(first.processed).toBeGreaterThanOrEqual(1);
    const again = await processOutboxOnce(t.db, { workerId: 'a' });
    expect(again.processed).toBe(0);
    expect(await at(1)).toMatchObject({ quantity: 10, inTransit: 4 });
    expect((await at(1, q))?.inTransit).toBe(1);
    expect((await transfer(id))?.announced).toBe(true);
  });

  it('R17: transfer_in credits what arrived, partly closes on a short line, closes when complete; over raises over_receipt', async () => {
    await fresh();
    const id = uuidv7();
    await push(src, out(id, [{ productId: p, quantity: 4 }, { productId: q, quantity: 2 }]));
    await processOutboxOnce(t.db);
    const [r1] = await push(dst, inn(id, [{ productId: p, quantity: 3 }, { productId: q, quantity: 2 }]));
    expect(r1).toMatchObject({ status: 'applied', result: { transferStatus: 'partially_received' } });
    expect(await at(1)).toMatchObject({ quantity: 13, inTransit: 1 });
    expect((await at(1, q))).toMatchObject({ quantity: 12, inTransit: 0 });
    expect((await discrepancies()).map((d) => [d.kind, d.quantity, d.warehouse_id])).toEqual([['short_receipt', 1, s.warehouseIds[1]]]);
    const [r2] = await push(dst, inn(id, [{ productId: p, quantity: 2 }]));
    expect(r2).toMatchObject({ status: 'applied', result: { transferStatus: 'received' } });
    expect(await at(1)).toMatchObject({ quantity: 15, inTransit: 0 });
    expect((await discrepancies()).map((d) => [d.kind, d.quantity])).toEqual([['short_receipt', 1], ['over_receipt', 1]]);
    expect(await movementsMatchLevels(t.db, s.tenantId)).toBe(true);
  });

  it('R17: a transfer_in at a warehouse the transfer is not addressed to is refused', async () => {
    await fresh();
    const id = uuidv7();
    await push(src, out(id, [{ productId: p, quantity: 1 }]));
    const third = opBuilder(s.tenantId, s.devices[2]!);
    const [r] = await push(third, third.next('transfer_in', { transferId: id, fromWarehouseId: s.warehouseIds[0]!, lines: [{ productId: p, quantity: 1 }] }));
    expect(r).toMatchObject({ status: 'refused', error: { code: 'forbidden' } });
    expect((await at(2))?.quantity).toBe(10);
  });

  it('R18: a transfer_in before its transfer_out is credited at once, held, and matched when the dispatch arrives', async () => {
    await fresh();
    const id = uuidv7();
    const [held] = await push(dst, inn(id, [{ productId: p, quantity: 3 }]));
    expect(held).toMatchObject({ status: 'applied', result: { held: true } });
    expect((await at(1))?.quantity).toBe(13);
    const [o] = await push(src, out(id, [{ productId: p, quantity: 4 }]));
    expect(o).toMatchObject({ status: 'applied', result: { matchedReceipts: 1, transferStatus: 'partially_received' } });
    expect((await discrepancies()).map((d) => [d.kind, d.quantity])).toEqual([['short_receipt', 1]]);
    await processOutboxOnce(t.db);
    // Only the unit still outstanding is in transit.
    expect(await at(1)).toMatchObject({ quantity: 13, inTransit: 1 });
  });

  it('R18: a dispatch and its receipt applied at the same moment by two devices still meet (no receipt left unmatched)', async () => {
    await fresh(1000);
    const ids: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const id = uuidv7();
      ids.push(id);
      const [o, r] = await Promise.all([push(src, out(id, [{ productId: p, quantity: 3 }])), push(dst, inn(id, [{ productId: p, quantity: 3 }]))]);
      expect([o[0]?.status, r[0]?.status]).toEqual(['applied', 'applied']);
    }
    const unmatched = await t.db.withTenant(s.tenantId, (tx) => tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM transfer_receipts WHERE matched_at IS NULL'));
    expect(unmatched.rows[0]?.n).toBe(0);
    await processOutboxOnce(t.db);
    const open = await t.db.withTenant(s.tenantId, (tx) => tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM transfers WHERE id = ANY($1::uuid[]) AND status <> 'received'`, [ids]));
    expect(open.rows[0]?.n).toBe(0);
    expect(await at(1)).toMatchObject({ quantity: 1000 + 40 * 3, inTransit: 0 });
  });

  it('R19: in-transit never goes negative whatever the order of receipt, worker and dispatch', async () => {
    await fresh();
    const id = uuidv7();
    // Dispatch 2, receive 5 before the worker ran, then the worker runs.
    await push(src, out(id, [{ productId: p, quantity: 2 }]));
    await push(dst, inn(id, [{ productId: p, quantity: 5 }]));
    await processOutboxOnce(t.db);
    expect(await at(1)).toMatchObject({ quantity: 15, inTransit: 0 });
    const negatives = await t.db.withTenant(s.tenantId, (tx) => tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM transfer_lines WHERE in_transit < 0 OR in_transit > greatest(dispatched - received, 0)'));
    expect(negatives.rows[0]?.n).toBe(0);
    await expect(t.db.withTenant(s.tenantId, (tx) => tx.query('UPDATE inventory_levels SET in_transit = -1 WHERE product_id = $1', [p]))).rejects.toThrow(/check/);
    expect(await movementsMatchLevels(t.db, s.tenantId)).toBe(true);
  });
});
