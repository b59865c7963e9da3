import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InventorySummaryRow } from '../../../src-shared/admin';
import { uuidv7 } from '../../../src-shared/ids';
import { foldSummaryDeltas } from '../../../src-server/reports/fold';
import { readInventorySummary, readInventorySummaryJson, readInventorySummaryJsonTx, type InventorySummaryRow as SummaryRow, type SummaryQuery } from '../../../src-server/reports/summary';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases';
import { insertProduct, seedTenant, type SeededTenant } from '../support/seed';

/*
 * The summary's JSON text, written by PostgreSQL for the HTTP answer, must be
 * byte for byte what JSON.stringify makes of the rows (same keys, same order,
 * same numbers), and stay exact with unfolded deltas, folded rows and both.
 */
describe.each(databaseKinds)('inventory summary as JSON text (%s)', (kind) => {
  let t: TestDatabase;
  let a: SeededTenant;
  let b: SeededTenant;

  /** Both readers agree byte for byte, the text parses as the shared schema, and the rows equal the levels' sums. */
  async function expectExact(tenantId: string, q: SummaryQuery = {}): Promise<SummaryRow[]> {
    const rows = await readInventorySummary(t.db, tenantId, q);
    const text = await readInventorySummaryJson(t.db, tenantId, q);
    expect(text).toBe(JSON.stringify(rows));
    expect(z.array(InventorySummaryRow).parse(JSON.parse(text ?? 'null'))).toEqual(rows);
    // Inside a transaction of the same tenant the function gives the same text.
    expect(await t.db.withTenant(tenantId, (tx) => readInventorySummaryJsonTx(tx, tenantId, q))).toBe(text);
    return rows;
  }

  async function fromLevels(tenantId: string): Promise<SummaryRow[]> {
    const r = await t.db.withTenant(tenantId, (tx) => tx.query<{ product_id: string; q: number; r: number; t: number; w: number }>(
      `SELECT product_id, sum(quantity)::int AS q, sum(reserved)::int AS r, sum(in_transit)::int AS t, count(*) FILTER (WHERE quantity > 0)::int AS w
         FROM inventory_levels GROUP BY product_id ORDER BY product_id`));
    return r.rows.map((x) => ({ productId: x.product_id, quantity: x.q, reserved: x.r, available: x.q - x.r, inTransit: x.t, warehouseCount: x.w }));
  }

  async function takeAndReserve(s: SeededTenant, productId: string, warehouse: number, quantity: number): Promise<void> {
    await t.db.withTenant(s.tenantId, (tx) => tx.query(
      'UPDATE inventory_levels SET quantity = quantity - $3, reserved = reserved + 1 WHERE warehouse_id = $1 AND product_id = $2',
      [s.warehouseIds[warehouse], productId, quantity]));
  }

  beforeAll(async () => {
    t = await createTestDatabase(kind);
    a = await seedTenant(t.db, { warehouses: 3, products: 4, stock: 6 });
    b = await seedTenant(t.db, { warehouses: 1, products: 2, stock: 9 });
  });
  afterAll(async () => { await t.drop(); });

  it('is exact from deltas alone, after the fold, and with folded rows plus new deltas (a product stocked after the fold too)', async () => {
    // Seeded levels exist only as deltas so far: every row comes from the deltas side of the join.
    expect(await expectExact(a.tenantId)).toEqual(await fromLevels(a.tenantId));
    expect(await foldSummaryDeltas(t.db)).toBeGreaterThan(0);
    expect(await expectExact(a.tenantId)).toEqual(await fromLevels(a.tenantId));

    // Folded rows plus unfolded deltas for the same products, and a product known only from deltas.
    await takeAndReserve(a, a.productIds[0]!, 0, 6);
    await takeAndReserve(a, a.productIds[2]!, 1, 2);
    const late = uuidv7();
    await t.db.withTenant(a.tenantId, async (tx) => {
      await insertProduct(tx, a.tenantId, late, `LATE-${late.slice(-6)}`);
      await tx.query('INSERT INTO inventory_levels (tenant_id, warehouse_id, product_id, quantity) VALUES ($1, $2, $3, 5)', [a.tenantId, a.warehouseIds[2], late]);
    });
    const rows = await expectExact(a.tenantId);
    expect(rows).toEqual(await fromLevels(a.tenantId));
    expect(rows.find((r) => r.productId === a.productIds[0])).toMatchObject({ quantity: 12, reserved: 1, available: 11, warehouseCount: 2 });
    expect(rows.find((r) => r.productId === late)).toMatchObject({ quantity: 5, warehouseCount: 1 });
    expect(rows.map((r) => r.productId)).toEqual([...rows.map((r) => r.productId)].sort());
  });

  it('pages by limit and after, filters by product, and reads [] past the end', async () => {
    const all = await expectExact(a.tenantId);
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(await expectExact(a.tenantId, { limit: 2 })).toEqual(all.slice(0, 2));
    expect(await expectExact(a.tenantId, { limit: 2, afterProductId: all[1]!.productId })).toEqual(all.slice(2, 4));
    expect(await expectExact(a.tenantId, { productId: all[2]!.productId })).toEqual([all[2]]);
    expect(await readInventorySummaryJson(t.db, a.tenantId, { afterProductId: all.at(-1)!.productId })).toBe('[]');
  });

  it('migration 6: bp_inventory_summary_json is SECURITY INVOKER, so row-level security is the caller\'s', async () => {
    const r = await t.db.statement<{ prosecdef: boolean }>(`SELECT prosecdef FROM pg_proc WHERE proname = 'bp_inventory_summary_json'`);
    expect(r.rows).toEqual([{ prosecdef: false }]);
  });

  it('shows a tenant only its own products, even when asked for another tenant by id', async () => {
    const mine = await expectExact(b.tenantId);
    expect(mine.map((r) => r.productId).sort()).toEqual([...b.productIds].sort());
    // A transaction of tenant b cannot be switched to tenant a by the function: it refuses, nothing is read.
    await expect(t.db.withTenant(b.tenantId, (tx) => readInventorySummaryJsonTx(tx, a.tenantId))).rejects.toThrow(/another tenant/);
    expect(await t.db.withTenant(b.tenantId, (tx) => readInventorySummaryJsonTx(tx, b.tenantId, { productId: a.productIds[0]! }))).toBe('[]');
    // The function sets its tenant for its own reads only: in a transaction with no tenant, the next statement sees nothing again.
    const inside = await t.db.withoutTenant(async (tx) => {
      const body = await readInventorySummaryJsonTx(tx, b.tenantId);
      const n = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM inventory_summary');
      return { body, n: n.rows[0]?.n };
    });
    expect(inside.body).toBe(await readInventorySummaryJson(t.db, b.tenantId));
    expect(inside.body).not.toBe('[]');
    expect(inside.n).toBe(0);
    expect(await readInventorySummaryJson(t.db, uuidv7())).toBeNull();
    await expect(t.db.statement('SELECT bp_inventory_summary_json(NULL, NULL, NULL, 10)')).rejects.toThrow(/no tenant given/);
  });
});
