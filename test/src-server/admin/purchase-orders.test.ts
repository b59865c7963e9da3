import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { PullResponse, PurchaseOrderView } from '../../../src-shared/sync';
import { pullChanges } from '../../../src-server/sync/pull';
import { pushOperations } from '../../../src-server/sync/push';
import { startHarness, type Harness } from '../http/harness';
import { databaseKinds } from '../support/databases';
import { deviceContext, opBuilder } from '../support/ops';
import { seedTenant, type SeededTenant } from '../support/seed';
import { countRows } from '../support/state';

describe.each(databaseKinds)('purchase orders: admin routes, receipt at the till, pull (%s)', (kind) => {
  let h: Harness;
  let a: SeededTenant;
  let b: SeededTenant;
  const url = (t: SeededTenant) => `/v1/admin/tenants/${t.tenantId}/purchase-orders`;
  const body = (t: SeededTenant, ref: string, over: Record<string, unknown> = {}) => ({
    ref, warehouseId: t.warehouseIds[0], supplier: 'Cedar Foods', expectedAt: '2026-12-05T08:00:00.000Z',
    lines: [{ productId: t.productIds[0], ordered: 10 }, { productId: t.productIds[1], ordered: 4 }], ...over,
  });
  const pos = async (t: SeededTenant) => countRows(h.tdb.db, t.tenantId, 'purchase_orders');
  const poLines = async (t: SeededTenant) => countRows(h.tdb.db, t.tenantId, 'purchase_order_lines');

  beforeAll(async () => {
    h = await startHarness(kind);
    a = await seedTenant(h.tdb.db, { warehouses: 2, products: 2, stock: 0 });
    b = await seedTenant(h.tdb.db, { warehouses: 1, products: 1, stock: 0 });
  });
  afterAll(async () => { await h.close(); });

  it('creates an order with its lines, retries safely by id, lists it and cancels it once', async () => {
    const id = uuidv7();
    const r = await h.admin('POST', url(a), { ...body(a, 'PO-1'), id });
    expect(r.status).toBe(201);
    const po = PurchaseOrderView.parse(r.json);
    expect(po).toMatchObject({ purchaseOrderId: id, ref: 'PO-1', status: 'open', supplier: 'Cedar Foods', expectedAt: '2026-12-05T08:00:00.000Z' });
    expect(po.lines.map((l) => l.ordered).sort()).toEqual([10, 4].sort());
    expect((await h.admin('POST', url(a), { ...body(a, 'PO-1'), id })).status).toBe(200);
    expect(await pos(a)).toBe(1);

    const list = await h.admin('GET', url(a));
    expect((list.json as unknown as PurchaseOrderView[]).map((p) => p.ref)).toEqual(['PO-1']);
    expect((await h.admin('GET', `${url(a)}?warehouseId=${a.warehouseIds[1]}`)).json).toEqual([]);
    expect((await h.admin('GET', url(b))).json).toEqual([]);

    await h.admin('POST', url(a), body(a, 'PO-2'));
    const cancelled = await h.admin('POST', `${url(a)}/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ status: 'cancelled' });
    expect((await h.admin('POST', `${url(a)}/${id}/cancel`)).json).toMatchObject({ code: 'invalid_state' });
    expect((await h.admin('GET', url(a))).json).toMatchObject([{ ref: 'PO-2' }]);
    expect(((await h.admin('GET', `${url(a)}?status=all`)).json as unknown as unknown[]).length).toBe(2);
    // Another tenant cannot cancel it: not found, unchanged.
    const open = (await h.admin('GET', url(a))).json as unknown as PurchaseOrderView[];
    expect((await h.admin('POST', `${url(b)}/${open[0]?.purchaseOrderId}/cancel`)).status).toBe(404);
    expect((await h.admin('GET', url(a))).json).toMatchObject([{ ref: 'PO-2', status: 'open' }]);
  });

  it('refuses bad input, unknown or foreign warehouses and products, and a duplicate ref, writing nothing', async () => {
    const before = [await pos(a), await poLines(a), await pos(b)];
    const cases: [unknown, number][] = [
      [body(a, 'PO-2'), 409],
      [body(a, ''), 400],
      [body(a, 'X', { supplier: '' }), 400],
      [body(a, 'X', { lines: [] }), 400],
      [body(a, 'X', { lines: [{ productId: a.productIds[0], ordered: 0 }] }), 400],
      [body(a, 'X', { lines: [{ productId: a.productIds[0], ordered: 1.5 }] }), 400],
      [body(a, 'X', { lines: [{ productId: a.productIds[0], ordered: 1 }, { productId: a.productIds[0], ordered: 2 }] }), 400],
      [body(a, 'X', { expectedAt: 'tomorrow' }), 400],
      [body(a, 'X', { warehouseId: b.warehouseIds[0] }), 404],
      [body(a, 'X', { warehouseId: uuidv7() }), 404],
      [body(a, 'X', { lines: [{ productId: b.productIds[0], ordered: 1 }] }), 404],
      [body(a, 'X', { lines: [{ productId: a.productIds[0], ordered: 1 }, { productId: uuidv7(), ordered: 1 }] }), 404],
    ];
    for (const [bad, status] of cases) {
      const r = await h.admin('POST', url(a), bad);
      expect(r.status, JSON.stringify(bad)).toBe(status);
      expect(r.json).toHaveProperty('code');
    }
    expect((await h.admin('POST', `/v1/admin/tenants/${uuidv7()}/purchase-orders`, body(a, 'X'))).status).toBe(404);
    expect((await h.admin('POST', url(a), body(a, 'X'))).status).toBe(201);
    expect([await pos(a), await poLines(a), await pos(b)]).toEqual([before[0]! + 1, before[1]! + 2, before[2]]);
    expect((await h.call('POST', url(a), { body: body(a, 'Y') })).status).toBe(401);
  });

  it('the database itself keeps each tenant to its own orders (RLS), and shows none with no tenant set', async () => {
    expect(await pos(a)).toBeGreaterThan(0);
    for (const table of ['purchase_orders', 'purchase_order_lines']) {
      const seen = await h.tdb.db.withTenant(b.tenantId, (tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id <> $1`, [b.tenantId]));
      expect(seen.rows[0]?.n, table).toBe(0);
      const none = await h.tdb.db.withoutTenant((tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`));
      expect(none.rows[0]?.n, table).toBe(0);
    }
    await expect(h.tdb.db.withTenant(b.tenantId, (tx) => tx.query(
      `INSERT INTO purchase_orders (tenant_id, id, warehouse_id, ref, supplier) VALUES ($1, $2, $3, 'SNEAK', 'x')`,
      [a.tenantId, uuidv7(), a.warehouseIds[0]]))).rejects.toThrow(/row-level security/);
  });

  it('pull carries the open orders of the device\'s warehouse; a receipt against the ref closes it and pull says so', async () => {
    const t = await seedTenant(h.tdb.db, { warehouses: 2, products: 2, stock: 0 });
    const mine = PurchaseOrderView.parse((await h.admin('POST', url(t), body(t, 'PO-77'))).json);
    await h.admin('POST', url(t), body(t, 'PO-OTHER', { warehouseId: t.warehouseIds[1] }));
    const ctx = deviceContext(t.tenantId, t.devices[0]!);
    const first = PullResponse.parse(await pullChanges(h.tdb.db, ctx));
    expect(first.purchaseOrders?.map((p) => [p.ref, p.status, p.lines.length])).toEqual([['PO-77', 'open', 2]]);

    const ops = opBuilder(t.tenantId, t.devices[0]!);
    const receiptId = uuidv7();
    const [res] = (await pushOperations(h.tdb.db, ctx, [ops.next('receive', {
      receiptId, source: { kind: 'purchase_order', purchaseOrderRef: 'PO-77' },
      lines: [{ productId: t.productIds[0]!, expectedQuantity: 10, receivedQuantity: 9 }, { productId: t.productIds[1]!, expectedQuantity: 4, receivedQuantity: 4 }],
    })])).results;
    expect(res).toMatchObject({ status: 'applied', result: { purchaseOrderId: mine.purchaseOrderId } });
    expect((res?.result?.discrepancyIds as string[]).length).toBe(1);
    const after = ((await h.admin('GET', `${url(t)}?status=all`)).json as unknown as PurchaseOrderView[]);
    expect(after.map((p) => [p.ref, p.status]).sort()).toEqual([['PO-77', 'received'], ['PO-OTHER', 'open']]);

    // The status change rides the next pull (possibly after rows resent while the watermark catches up).
    let cursor = first.cursor;
    let seen: PurchaseOrderView | undefined;
    for (let i = 0; i < 40 && !seen; i += 1) {
      const r = await pullChanges(h.tdb.db, ctx, cursor);
      seen = r.purchaseOrders?.find((p) => p.ref === 'PO-77' && p.status === 'received');
      cursor = r.cursor;
      if (!seen) await new Promise((ok) => setTimeout(ok, 50));
    }
    expect(seen).toBeDefined();
    // A second receipt naming the same ref is still a receipt, and the order stays received.
    const [again] = (await pushOperations(h.tdb.db, ctx, [ops.next('receive', {
      receiptId: uuidv7(), source: { kind: 'purchase_order', purchaseOrderRef: 'PO-77' }, lines: [{ productId: t.productIds[0]!, receivedQuantity: 1 }],
    })])).results;
    expect(again?.status).toBe('applied');
    expect(again?.result).not.toHaveProperty('purchaseOrderId');
  });
});
