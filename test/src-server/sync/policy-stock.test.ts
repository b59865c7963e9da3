import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import type { Operation } from '../../../src-shared/operations';
import type { OpResult } from '../../../src-shared/sync';
import { pushOperations } from '../../../src-server/sync/push';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases';
import { opBuilder, type OpBuilder } from '../support/ops';
import { seedTenant, type SeededTenant } from '../support/seed';
import { countRows, levelOf, movementsMatchLevels } from '../support/state';

describe.each(databaseKinds)('conflict policy: sales, reservations, stock (%s)', (kind) => {
  let t: TestDatabase;
  let s: SeededTenant;
  let b: OpBuilder;
  let p: string;
  let w: string;
  beforeAll(async () => { t = await createTestDatabase(kind); });
  afterAll(async () => { await t.drop(); });

  async function fresh(stock = 10): Promise<void> {
    s = await seedTenant(t.db, { stock });
    b = opBuilder(s.tenantId, s.devices[0]!);
    p = s.productIds[0]!;
    w = s.warehouseIds[0]!;
  }
  async function push(...ops: Operation[]): Promise<OpResult[]> {
    return (await pushOperations(t.db, b.ctx, ops)).results;
  }
  const level = () => levelOf(t.db, s.tenantId, w, p);
  const discrepancies = () => t.db.withTenant(s.tenantId, (tx) => tx.query<{ kind: string; quantity: number; product_id: string }>(
    'SELECT kind, quantity, product_id FROM discrepancies ORDER BY created_at, id')).then((r) => r.rows);

  it('R6: a sale beyond availability is applied and raises a negative_stock discrepancy', async () => {
    await fresh(3);
    const [r] = await push(b.sale([{ productId: p, quantity: 5 }]));
    expect(r?.status).toBe('applied');
    expect((await level())?.quantity).toBe(-2);
    expect(await discrepancies()).toEqual([{ kind: 'negative_stock', quantity: -2, product_id: p }]);
    expect(r?.result?.discrepancyIds).toHaveLength(1);
    await push(b.sale([{ productId: s.productIds[1]!, quantity: 3 }]));
    expect(await discrepancies()).toHaveLength(1);
    expect(await movementsMatchLevels(t.db, s.tenantId)).toBe(true);
  });

  it('R6: a sale of a product central does not know is refused (unknown_product)', async () => {
    await fresh();
    const [r] = await push(b.sale([{ productId: p, quantity: 1 }, { productId: uuidv7(), quantity: 1 }]));
    expect(r).toMatchObject({ status: 'refused', error: { code: 'unknown_product' } });
    expect((await level())?.quantity).toBe(10);
    expect(await countRows(t.db, s.tenantId, 'sales')).toBe(0);
  });

  it('R7: a return credits the shelf', async () => {
    await fresh(0);
    const [r] = await push(b.next('return', { returnId: uuidv7(), lines: [{ productId: p, quantity: 2, refundMinor: 500 }] }));
    expect(r?.status).toBe('applied');
    expect((await level())?.quantity).toBe(2);
  });

  it('R8: a reservation is held by the conditional update, all lines or none', async () => {
    await fresh(5);
    const [held] = await push(b.reserve([{ productId: p, quantity: 4 }]));
    expect(held).toMatchObject({ status: 'applied', result: { outcome: 'held' } });
    expect(await level()).toMatchObject({ quantity: 5, reserved: 4 });
    const rid = uuidv7();
    const [refused] = await push(b.reserve([{ productId: s.productIds[1]!, quantity: 3 }, { productId: p, quantity: 2 }], rid));
    expect(refused).toMatchObject({ status: 'refused', error: { code: 'insufficient_stock', details: { productId: p, requested: 2, available: 1 } } });
    expect(await levelOf(t.db, s.tenantId, w, s.productIds[1]!)).toMatchObject({ reserved: 0 });
    const fu = await t.db.withTenant(s.tenantId, (tx) => tx.query<{ customer: { phone: string }; reservation_id: string }>('SELECT customer, reservation_id FROM follow_ups'));
    expect(fu.rows).toEqual([{ customer: { name: 'Rami Haddad', phone: '+961 3 123 456' }, reservation_id: rid }]);
    const st = await t.db.withTenant(s.tenantId, (tx) => tx.query<{ status: string }>('SELECT status FROM reservations WHERE id = $1', [rid]));
    expect(st.rows[0]?.status).toBe('refused');
    expect(await movementsMatchLevels(t.db, s.tenantId)).toBe(true);
  });

  it('R8: reserving a product with no level row at this warehouse is refused as insufficient stock', async () => {
    await fresh(0);
    const [r] = await push(b.reserve([{ productId: p, quantity: 1 }]));
    expect(r).toMatchObject({ status: 'refused', error: { code: 'insufficient_stock', details: { available: 0 } } });
  });

  it('R9: two branches reserving the last unit offline: the first to reach central wins', async () => {
    await fresh(1);
    // Both devices sit at one warehouse here: a second device at warehouse 0.
    const second = await t.db.withTenant(s.tenantId, async (tx) => {
      const { insertDevice } = await import('../support/seed');
      return insertDevice(tx, s.tenantId, w);
    });
    const b2 = opBuilder(s.tenantId, second);
    const first = await push(b.reserve([{ productId: p, quantity: 1 }]));
    const late = await pushOperations(t.db, b2.ctx, [b2.reserve([{ productId: p, quantity: 1 }])]);
    expect(first[0]?.result?.outcome).toBe('held');
    expect(late.results[0]?.result?.outcome).toBe('refused');
    expect(await level()).toMatchObject({ quantity: 1, reserved: 1 });
  });

  it('R10: releases are idempotent; releasing a fulfilled or unknown reservation is refused', async () => {
    await fresh(5);
    const rid = uuidv7();
    await push(b.reserve([{ productId: p, quantity: 3 }], rid));
    const [r1, r2] = await push(b.next('release', { reservationId: rid }), b.next('release', { reservationId: rid }));
    expect(r1).toMatchObject({ status: 'applied', result: { changed: true } });
    expect(r2).toMatchObject({ status: 'applied', result: { changed: false } });
    expect(await level()).toMatchObject({ quantity: 5, reserved: 0 });
    const [u] = await push(b.next('release', { reservationId: uuidv7() }));
    expect(u).toMatchObject({ status: 'refused', error: { code: 'unknown_reservation' } });
    const rid2 = uuidv7();
    await push(b.reserve([{ productId: p, quantity: 1 }], rid2), b.next('fulfil', { reservationId: rid2, saleId: uuidv7() }));
    const [f] = await push(b.next('release', { reservationId: rid2 }));
    expect(f).toMatchObject({ status: 'refused', error: { code: 'invalid_state' } });
  });

  it('R11: fulfilment turns reserved into a sale once; a refused reservation collected anyway is a sale', async () => {
    await fresh(5);
    const rid = uuidv7();
    await push(b.reserve([{ productId: p, quantity: 3 }], rid));
    const [f1, f2] = await push(b.next('fulfil', { reservationId: rid, saleId: uuidv7() }), b.next('fulfil', { reservationId: rid, saleId: uuidv7() }));
    expect(f1).toMatchObject({ status: 'applied', result: { changed: true } });
    expect(f2).toMatchObject({ status: 'applied', result: { changed: false } });
    expect(await level()).toMatchObject({ quantity: 2, reserved: 0 });
    expect(await countRows(t.db, s.tenantId, 'sales', 'reservation_id = $1', [rid])).toBe(1);
    const refusedId = uuidv7();
    await push(b.reserve([{ productId: p, quantity: 4 }], refusedId));
    const [f3] = await push(b.next('fulfil', { reservationId: refusedId, saleId: uuidv7() }));
    expect(f3).toMatchObject({ status: 'applied', result: { changed: true } });
    expect(await level()).toMatchObject({ quantity: -2, reserved: 0 });
    expect((await discrepancies()).map((d) => d.kind)).toEqual(['negative_stock']);
    expect(await movementsMatchLevels(t.db, s.tenantId)).toBe(true);
  });

  it('R12: receipts and adjustments are deltas; a purchase-order receipt off its expected quantity is noted', async () => {
    await fresh(10);
    await push(
      b.next('receive', { receiptId: uuidv7(), source: { kind: 'purchase_order', purchaseOrderRef: 'PO-7' },
        lines: [{ productId: p, expectedQuantity: 12, receivedQuantity: 10 }, { productId: s.productIds[1]!, expectedQuantity: 1, receivedQuantity: 3 }] }),
      b.next('adjust', { adjustmentId: uuidv7(), reason: 'damaged', lines: [{ productId: p, quantityDelta: -4 }] }),
    );
    expect((await level())?.quantity).toBe(16);
    expect((await discrepancies()).map((d) => [d.kind, d.quantity])).toEqual(expect.arrayContaining([['short_receipt', 2], ['over_receipt', 2]]));
  });

  it('R13: a count applies counted minus expected, keeping sales made since', async () => {
    await fresh(10);
    // The branch counted 7 where it expected 8; central meanwhile applied another device's sale of 2.
    await push(b.sale([{ productId: p, quantity: 2 }]));
    const [c] = await push(b.next('count', { countId: uuidv7(), lines: [{ productId: p, counted: 7, expected: 8 }, { productId: s.productIds[1]!, counted: 10, expected: 10 }] }));
    expect(c).toMatchObject({ status: 'applied', result: { applied: 1 } });
    expect((await level())?.quantity).toBe(7);
    expect((await levelOf(t.db, s.tenantId, w, s.productIds[1]!))?.quantity).toBe(10);
  });

  it('R14: an adjustment or count that leaves available below zero is applied and flagged', async () => {
    await fresh(2);
    await push(b.reserve([{ productId: p, quantity: 2 }]));
    const [a] = await push(b.next('adjust', { adjustmentId: uuidv7(), reason: 'theft', lines: [{ productId: p, quantityDelta: -1 }] }));
    expect(a?.status).toBe('applied');
    expect(await discrepancies()).toEqual([{ kind: 'negative_stock', quantity: -1, product_id: p }]);
    await push(b.next('count', { countId: uuidv7(), lines: [{ productId: p, counted: 0, expected: 1 }] }));
    expect((await discrepancies()).map((d) => d.quantity)).toEqual([-1, -2]);
  });
});
