import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTables } from '../../../src-server/db/migrations/0001_core';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases';
import { seedTenant, type SeededTenant } from '../support/seed';

describe.each(databaseKinds)('row-level security (%s)', (kind) => {
  let t: TestDatabase;
  let a: SeededTenant;
  let b: SeededTenant;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    a = await seedTenant(t.db, { name: 'A' });
    b = await seedTenant(t.db, { name: 'B' });
  });
  afterAll(async () => { await t.drop(); });

  it('runs as a role that is neither superuser nor BYPASSRLS', async () => {
    const r = await t.db.withoutTenant((tx) => tx.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user'));
    expect(r.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it('every table of the schema has RLS enabled and forced', async () => {
    const r = await t.db.withoutTenant((tx) => tx.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND relname <> 'schema_migrations'`));
    for (const row of r.rows) expect(row, row.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
    expect(r.rows.map((x) => x.relname)).toEqual(expect.arrayContaining([...tenantTables]));
  });

  /** Every table keyed by tenant, including those later migrations add. */
  async function allTenantTables(): Promise<string[]> {
    const r = await t.db.withoutTenant((tx) => tx.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1`));
    return ['tenants', ...r.rows.map((x) => x.table_name)];
  }

  it('a tenant sees only its own rows in every table', async () => {
    const tables = await allTenantTables();
    expect(tables).toEqual(expect.arrayContaining([...tenantTables]));
    for (const table of tables) {
      const col = table === 'tenants' ? 'id' : 'tenant_id';
      const seen = await t.db.withTenant(a.tenantId, (tx) => tx.query<{ tid: string }>(`SELECT DISTINCT ${col}::text AS tid FROM ${table}`));
      for (const row of seen.rows) expect(row.tid, table).toBe(a.tenantId);
    }
    const levels = await t.db.withTenant(a.tenantId, (tx) => tx.query('SELECT * FROM inventory_levels WHERE warehouse_id = ANY($1)', [b.warehouseIds]));
    expect(levels.rowCount).toBe(0);
    const count = await t.db.withTenant(b.tenantId, (tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM inventory_levels'));
    expect(count.rows[0]?.n).toBe(b.warehouseIds.length * b.productIds.length);
  });

  it('with no tenant set, no table shows any row', async () => {
    for (const table of await allTenantTables()) {
      const r = await t.db.withoutTenant((tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`));
      expect(r.rows[0]?.n, table).toBe(0);
    }
  });

  it('a tenant cannot write rows of another tenant, nor change them', async () => {
    await expect(t.db.withTenant(a.tenantId, (tx) => tx.query(
      `INSERT INTO warehouses (tenant_id, id, code, name, kind) VALUES ($1, gen_random_uuid(), 'X', 'X', 'store')`, [b.tenantId]))).rejects.toThrow(/row-level security/);
    const upd = await t.db.withTenant(a.tenantId, (tx) => tx.query(`UPDATE inventory_levels SET quantity = 0 WHERE tenant_id = $1`, [b.tenantId]));
    expect(upd.rowCount).toBe(0);
    const still = await t.db.withTenant(b.tenantId, (tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM inventory_levels WHERE quantity = 10'));
    expect(still.rows[0]?.n).toBe(b.warehouseIds.length * b.productIds.length);
  });

  it('movements are append-only: UPDATE and DELETE are refused by the database', async () => {
    await expect(t.db.withTenant(a.tenantId, (tx) => tx.query('UPDATE inventory_movements SET quantity_delta = 0'))).rejects.toThrow();
    await expect(t.db.withTenant(a.tenantId, (tx) => tx.query('DELETE FROM inventory_movements'))).rejects.toThrow();
  });
});
