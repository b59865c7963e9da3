import pg from 'pg';
import type { Database, Queryable } from '../../../src-server/db/database';
import type { TestDatabase } from '../../src-server/support/databases';
import type { RawTx } from './raw';

/*
 * Privileged setup for the benchmark only: bulk loading and switching the
 * summary trigger off. On PostgreSQL through the test database's superuser;
 * on PGlite by resetting to the session's superuser role for one transaction.
 */

export async function asSuperuser(t: TestDatabase, sql: string, params: unknown[] = []): Promise<void> {
  if (t.kind === 'postgres') {
    const c = new pg.Client({ connectionString: t.superUrl });
    await c.connect();
    try { await c.query(sql, params); } finally { await c.end(); }
    return;
  }
  await t.db.withoutTenant(async (tx) => {
    await tx.query('RESET ROLE');
    try { await tx.query(sql, params); } finally { await tx.query('SET ROLE branchpos_app'); }
  });
}

export async function setSummaryTrigger(t: TestDatabase, on: boolean): Promise<void> {
  await asSuperuser(t, `ALTER TABLE inventory_levels ${on ? 'ENABLE' : 'DISABLE'} TRIGGER inventory_levels_summary_delta`);
}

/** 100 tenants x 10 warehouses x 1,000 products (fewer tenants on PGlite), loaded set-wise with the trigger off, then summarised once and vacuumed. */
export async function loadSummaryTenants(t: TestDatabase, tenants: number, warehouses: number, products: number): Promise<string[]> {
  await setSummaryTrigger(t, false);
  await asSuperuser(t, `
    WITH t AS (INSERT INTO tenants (id, name) SELECT gen_random_uuid(), 'bench ' || i FROM generate_series(1, $1) i RETURNING id)
    INSERT INTO warehouses (tenant_id, id, code, name, kind) SELECT t.id, gen_random_uuid(), 'W' || w, 'Branch ' || w, 'store' FROM t, generate_series(1, $2) w`,
  [tenants, warehouses]);
  await asSuperuser(t, `
    INSERT INTO products (tenant_id, id, sku, name_en, price_minor, currency, tax_class)
    SELECT t.id, gen_random_uuid(), 'SKU-' || p, 'Product ' || p, 100 + p, 'USD', 'standard'
      FROM tenants t, generate_series(1, $1) p WHERE t.name LIKE 'bench %'`, [products]);
  await asSuperuser(t, `
    INSERT INTO inventory_levels (tenant_id, warehouse_id, product_id, quantity, reserved)
    SELECT w.tenant_id, w.id, p.id, 50 + (hashtext(w.id::text || p.id::text) & 63), 0
      FROM warehouses w JOIN products p ON p.tenant_id = w.tenant_id JOIN tenants t ON t.id = w.tenant_id
     WHERE t.name LIKE 'bench %'`);
  await setSummaryTrigger(t, true);
  await asSuperuser(t, `
    INSERT INTO inventory_summary (tenant_id, product_id, quantity, reserved, in_transit, warehouse_count)
    SELECT l.tenant_id, l.product_id, sum(l.quantity), sum(l.reserved), sum(l.in_transit), count(*) FILTER (WHERE l.quantity > 0)
      FROM inventory_levels l JOIN tenants t ON t.id = l.tenant_id WHERE t.name LIKE 'bench %' GROUP BY l.tenant_id, l.product_id`);
  // A real database is vacuumed: without it the freshly loaded tables have no
  // visibility map (every index-only scan would visit the heap), and where
  // autovacuum is on it would start on them during the measurement. VACUUM
  // cannot run in a transaction, which is how asSuperuser reaches PGlite:
  // ANALYZE there.
  await asSuperuser(t, t.kind === 'postgres' ? 'VACUUM (ANALYZE)' : 'ANALYZE');
  const ids: string[] = [];
  await t.db.withoutTenant(async (tx) => {
    const r = await tx.query<{ id: string }>('SELECT bp_tenant_ids() AS id');
    ids.push(...r.rows.map((x) => x.id));
  });
  return ids;
}

/** Raw transactions straight on the driver: a pg pool of the app role, or PGlite's own transaction. */
export function rawTransactions(t: TestDatabase, poolSize: number): { tx: RawTx; close(): Promise<void> } {
  if (t.kind === 'pglite') {
    const db: Database = t.db;
    return { tx: (tenantId, fn) => db.withTenant(tenantId, fn), close: async () => undefined };
  }
  const pool = new pg.Pool({ connectionString: t.appUrl, max: poolSize });
  const tx: RawTx = async (tenantId, fn) => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      const q: Queryable = { query: async (sql, params) => { const r = await c.query(sql, params); return { rows: r.rows, rowCount: r.rowCount ?? 0 }; } };
      const out = await fn(q);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  };
  return { tx, close: () => pool.end() };
}
