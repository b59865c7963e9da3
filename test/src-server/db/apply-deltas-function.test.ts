import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases';
import { seedTenant, type SeededTenant } from '../support/seed';
import { levelOf, movementsMatchLevels } from '../support/state';

/* Migration 5: bp_apply_deltas writes levels and movements as the plain statement did, under the caller's row-level security. */

const CALL = `SELECT out_product_id AS "productId", out_quantity AS quantity, out_reserved AS reserved
  FROM bp_apply_deltas($1, $2, $3::uuid[], $4::int[], $5::int[], $6, $7, $8, $9, $10)`;

describe.each(databaseKinds)('bp_apply_deltas (%s)', (kind) => {
  let t: TestDatabase;
  let a: SeededTenant;
  let b: SeededTenant;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    a = await seedTenant(t.db, { warehouses: 1, products: 2, stock: 0 });
    b = await seedTenant(t.db, { warehouses: 1, products: 2, stock: 10 });
  });
  afterAll(async () => { await t.drop(); });

  it('is SECURITY INVOKER, so row-level security is the caller\'s', async () => {
    const r = await t.db.withoutTenant((tx) => tx.query<{ prosecdef: boolean }>(`SELECT prosecdef FROM pg_proc WHERE proname = 'bp_apply_deltas'`));
    expect(r.rows).toEqual([{ prosecdef: false }]);
  });

  it('creates a level on first touch, adds to it after, writes one movement per line and returns the levels after', async () => {
    const [w] = a.warehouseIds as [string];
    const [p1, p2] = a.productIds as [string, string];
    const call = (qs: number[]) => t.db.withTenant(a.tenantId, (tx) => tx.query<{ productId: string; quantity: number; reserved: number }>(
      CALL, [a.tenantId, w, [p1, p2], qs, [0, 0], 'receive', uuidv7(), uuidv7(), null, true]));
    expect((await call([5, 3])).rows).toEqual([{ productId: p1, quantity: 5, reserved: 0 }, { productId: p2, quantity: 3, reserved: 0 }]);
    expect((await call([-7, 1])).rows).toEqual([{ productId: p1, quantity: -2, reserved: 0 }, { productId: p2, quantity: 4, reserved: 0 }]);
    expect(await movementsMatchLevels(t.db, a.tenantId)).toBe(true);
  });

  it('the update form changes reserved on existing rows only', async () => {
    const [w] = b.warehouseIds as [string];
    const [p1] = b.productIds as [string];
    const r = await t.db.withTenant(b.tenantId, (tx) => tx.query(CALL, [b.tenantId, w, [p1], [0], [4], 'reserve', uuidv7(), uuidv7(), null, false]));
    expect(r.rows).toEqual([{ productId: p1, quantity: 10, reserved: 4 }]);
    const none = await t.db.withTenant(b.tenantId, (tx) => tx.query(CALL, [b.tenantId, w, [uuidv7()], [0], [1], 'reserve', uuidv7(), uuidv7(), null, false]));
    expect(none.rows).toEqual([]);
    // No row came back for the unknown level: levels.ts refuses that op, rolling back its movement too.
    expect(await levelOf(t.db, b.tenantId, w, p1)).toMatchObject({ quantity: 10, reserved: 4 });
  });

  it('cannot write another tenant\'s rows: the caller\'s policy refuses them', async () => {
    const [w] = b.warehouseIds as [string];
    const [p1] = b.productIds as [string];
    const before = await levelOf(t.db, b.tenantId, w, p1);
    await expect(t.db.withTenant(a.tenantId, (tx) => tx.query(CALL, [b.tenantId, w, [p1], [-1], [0], 'sale', uuidv7(), uuidv7(), null, true])))
      .rejects.toThrow(/row-level security|violates/);
    expect(await levelOf(t.db, b.tenantId, w, p1)).toEqual(before);
  });
});
