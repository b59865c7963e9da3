import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases';
import { seedTenant, type SeededTenant } from '../support/seed';
import { startHarness, type Harness } from '../http/harness';

describe.each(databaseKinds)('stock administration over HTTP: moves, levels, notifications (%s)', (kind) => {
  let h: Harness;
  let a: SeededTenant;
  let b: SeededTenant;
  const qty = async (t: SeededTenant, w: number) => (await h.tdb.db.withTenant(t.tenantId, (tx) => tx.query<{ quantity: number }>(
    'SELECT quantity FROM inventory_levels WHERE tenant_id = $1 AND warehouse_id = $2 AND product_id = $3', [t.tenantId, t.warehouseIds[w], t.productIds[0]]))).rows[0]?.quantity;
  const move = (t: SeededTenant, body: unknown) => h.admin('POST', `/v1/admin/tenants/${t.tenantId}/transfers`, body);

  beforeAll(async () => {
    h = await startHarness(kind);
    a = await seedTenant(h.tdb.db, { warehouses: 2, products: 1, stock: 10 });
    b = await seedTenant(h.tdb.db, { warehouses: 1, products: 1, stock: 10 });
  });
  afterAll(async () => { await h.close(); });

  it('moves stock in one step and refuses what the source does not have', async () => {
    const ok = await move(a, { fromWarehouseId: a.warehouseIds[0], toWarehouseId: a.warehouseIds[1], lines: [{ productId: a.productIds[0], quantity: 4 }] });
    expect(ok.status).toBe(201);
    expect([await qty(a, 0), await qty(a, 1)]).toEqual([6, 14]);
    const short = await move(a, { fromWarehouseId: a.warehouseIds[0], toWarehouseId: a.warehouseIds[1], lines: [{ productId: a.productIds[0], quantity: 7 }] });
    expect(short.status).toBe(409);
    expect(short.json).toMatchObject({ code: 'insufficient_stock', details: { requested: 7, available: 6 } });
    expect([await qty(a, 0), await qty(a, 1)]).toEqual([6, 14]);
  });

  it('refuses bad input and another tenant\'s warehouse or product, writing nothing', async () => {
    const cases: [unknown, number][] = [
      [{ fromWarehouseId: a.warehouseIds[0], toWarehouseId: a.warehouseIds[0], lines: [{ productId: a.productIds[0], quantity: 1 }] }, 400],
      [{ fromWarehouseId: a.warehouseIds[0], toWarehouseId: a.warehouseIds[1], lines: [{ productId: a.productIds[0], quantity: -1 }] }, 400],
      [{ fromWarehouseId: a.warehouseIds[0], toWarehouseId: a.warehouseIds[1], lines: [{ productId: a.productIds[0], quantity: 0.5 }] }, 400],
      [{ fromWarehouseId: a.warehouseIds[0], toWarehouseId: b.warehouseIds[0], lines: [{ productId: a.productIds[0], quantity: 1 }] }, 404],
      [{ fromWarehouseId: a.warehouseIds[0], toWarehouseId: a.warehouseIds[1], lines: [{ productId: b.productIds[0], quantity: 1 }] }, 404],
    ];
    for (const [body, status] of cases) {
      const r = await move(a, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
    }
    expect([await qty(a, 0), await qty(a, 1), await qty(b, 0)]).toEqual([6, 14, 10]);
  });

  it('lists levels per warehouse, least available first, and the restock list', async () => {
    const all = await h.admin('GET', `/v1/admin/tenants/${a.tenantId}/levels`);
    expect((all.json as unknown as { warehouseId: string; available: number; sku: string }[]).map((l) => [l.warehouseId, l.available, l.sku]))
      .toEqual([[a.warehouseIds[0], 6, 'SKU-1'], [a.warehouseIds[1], 14, 'SKU-1']]);
    const restock = await h.admin('GET', `/v1/admin/tenants/${a.tenantId}/levels?availableAtMost=6`);
    expect((restock.json as unknown as unknown[]).length).toBe(1);
    const one = await h.admin('GET', `/v1/admin/tenants/${a.tenantId}/levels?warehouseId=${a.warehouseIds[1]}`);
    expect((one.json as unknown as { quantity: number }[])[0]?.quantity).toBe(14);
    expect((await h.admin('GET', `/v1/admin/tenants/${a.tenantId}/levels?warehouseId=${b.warehouseIds[0]}`)).json).toEqual([]);
    expect((await h.admin('GET', `/v1/admin/tenants/${a.tenantId}/levels?availableAtMost=x`)).status).toBe(400);
  });

  it('lists unread notifications and marks them read', async () => {
    await h.tdb.db.withTenant(a.tenantId, (tx) => tx.query(
      `INSERT INTO notifications (tenant_id, outbox_id, kind, warehouse_id, reference_id, body) VALUES ($1, 1, 'follow_up', $2, NULL, $3)`,
      [a.tenantId, a.warehouseIds[0], JSON.stringify({ customer: 'Maya' })]));
    const list = await h.admin('GET', `/v1/admin/tenants/${a.tenantId}/notifications`);
    const [n] = list.json as unknown as { id: number; kind: string; body: unknown }[];
    expect(n).toMatchObject({ kind: 'follow_up', body: { customer: 'Maya' } });
    expect((await h.admin('POST', `/v1/admin/tenants/${a.tenantId}/notifications/${n?.id}/read`)).status).toBe(200);
    expect((await h.admin('GET', `/v1/admin/tenants/${a.tenantId}/notifications`)).json).toEqual([]);
    expect(((await h.admin('GET', `/v1/admin/tenants/${a.tenantId}/notifications?unread=false`)).json as unknown as unknown[]).length).toBe(1);
    expect((await h.admin('POST', `/v1/admin/tenants/${b.tenantId}/notifications/${n?.id}/read`)).status).toBe(404);
    expect((await h.admin('POST', `/v1/admin/tenants/${a.tenantId}/notifications/abc/read`)).status).toBe(400);
  });
});
