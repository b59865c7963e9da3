import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src-server/db/database';
import { foldSummaryDeltas } from '../../../src-server/reports/fold';
import { readInventorySummary, readInventorySummaryTx, type InventorySummaryRow } from '../../../src-server/reports/summary';
import { pushOperations } from '../../../src-server/sync/push';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases';
import { opBuilder } from '../support/ops';
import { seedTenant } from '../support/seed';

async function fromLevels(db: Database, tenantId: string): Promise<InventorySummaryRow[]> {
  const r = await db.withTenant(tenantId, (tx) => tx.query<{ product_id: string; q: number; r: number; t: number; w: number }>(
    `SELECT product_id, sum(quantity)::int AS q, sum(reserved)::int AS r, sum(in_transit)::int AS t, count(*) FILTER (WHERE quantity > 0)::int AS w
       FROM inventory_levels GROUP BY product_id ORDER BY product_id`));
  return r.rows.map((x) => ({ productId: x.product_id, quantity: x.q, reserved: x.r, available: x.q - x.r, inTransit: x.t, warehouseCount: x.w }));
}

describe.each(databaseKinds)('inventory summary (%s)', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase(kind, 12); });
  afterAll(async () => { await t.drop(); });

  it('R21: equals the sum of the levels before and after the fold, per tenant and per product', async () => {
    const s = await seedTenant(t.db, { warehouses: 3, products: 3, stock: 5 });
    await seedTenant(t.db);
    const b = opBuilder(s.tenantId, s.devices[0]!);
    await pushOperations(t.db, b.ctx, [b.sale([{ productId: s.productIds[0]!, quantity: 7 }]), b.reserve([{ productId: s.productIds[1]!, quantity: 2 }])]);
    const expected = await fromLevels(t.db, s.tenantId);
    expect(expected[0]).toMatchObject({ quantity: 8, warehouseCount: 2 });
    expect(await readInventorySummary(t.db, s.tenantId)).toEqual(expected);
    expect(await foldSummaryDeltas(t.db)).toBeGreaterThan(0);
    const deltas = await t.db.withTenant(s.tenantId, (tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM inventory_summary_deltas'));
    expect(deltas.rows[0]?.n).toBe(0);
    expect(await readInventorySummary(t.db, s.tenantId)).toEqual(expected);
    expect(await readInventorySummary(t.db, s.tenantId, { productId: s.productIds[1]! })).toEqual([expected[1]]);
  });

  it('R21: stays exact under concurrent sales at many warehouses while the fold runs', async () => {
    const s = await seedTenant(t.db, { warehouses: 6, products: 2, stock: 100 });
    const p = s.productIds[0]!;
    let stop = false;
    const folder = (async () => { while (!stop) { await foldSummaryDeltas(t.db, 7); await new Promise((r) => setTimeout(r, 2)); } })();
    const sellers = s.devices.map(async (d) => {
      const b = opBuilder(s.tenantId, d);
      for (let i = 0; i < (kind === 'postgres' ? 30 : 10); i += 1) await pushOperations(t.db, b.ctx, [b.sale([{ productId: p, quantity: 1 + (i % 2) }])]);
    });
    const checks = (async () => {
      for (let i = 0; i < 15; i += 1) {
        // Summary and levels read in one snapshot must agree at every moment, not only at the end.
        const [sum, lv] = await t.db.withTenant(s.tenantId, async (tx) => {
          const a = await readInventorySummaryTx(tx, s.tenantId, { productId: p });
          const l = await tx.query<{ q: number }>('SELECT sum(quantity)::int AS q FROM inventory_levels WHERE product_id = $1', [p]);
          return [a[0]?.quantity, l.rows[0]?.q] as const;
        }, { isolation: 'repeatable read', readOnly: true });
        expect(sum).toBe(lv);
      }
    })();
    await Promise.all([...sellers, checks]);
    stop = true;
    await folder;
    expect(await readInventorySummary(t.db, s.tenantId)).toEqual(await fromLevels(t.db, s.tenantId));
    await foldSummaryDeltas(t.db);
    expect(await readInventorySummary(t.db, s.tenantId)).toEqual(await fromLevels(t.db, s.tenantId));
  });
});
