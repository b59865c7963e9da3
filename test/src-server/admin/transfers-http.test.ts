import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases';
import { seedTenant, type SeededTenant } from '../support/seed';
import { startHarness, type Harness } from '../http/harness';

describe.each(databaseKinds)('central stock moves over HTTP (%s)', (kind) => {
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
});
