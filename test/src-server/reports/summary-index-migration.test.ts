import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { latestVersion, migrate } from '../../../src-server/db/migrate';
import { migrations } from '../../../src-server/db/migrations/index';
import { createTestDatabase, databaseKinds } from '../support/databases';

/*
 * Migration 4: the covering index the summary read scans instead of the heap
 * (src-server/reports/summary.ts).
 */
const INDEX_DEF = /ON public\.inventory_summary USING btree \(tenant_id, product_id\) INCLUDE \(quantity, reserved, in_transit, warehouse_count\)/;

describe('migration 4 (inventory summary covering index)', () => {
  it.each(databaseKinds)('(%s) a fresh database has the index with the totals included', async (kind) => {
    const t = await createTestDatabase(kind);
    try {
      const r = await t.db.withoutTenant((tx) => tx.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE tablename = 'inventory_summary' AND indexname = 'inventory_summary_covering'`));
      expect(r.rows).toHaveLength(1);
      expect(r.rows[0]!.indexdef).toMatch(INDEX_DEF);
    } finally {
      await t.drop();
    }
  });

  it('upgrades a version-3 database holding summary rows, which read the same through the index', async () => {
    const pg = await PGlite.create();
    try {
      await pg.exec(`CREATE ROLE branchpos_app NOLOGIN NOSUPERUSER NOBYPASSRLS`);
      const target = { query: async <R>(sql: string, params?: unknown[]) => { const r = await pg.query<R>(sql, params); return { rows: r.rows, rowCount: r.rows.length }; }, exec: async (sql: string) => { await pg.exec(sql); } };
      expect(await migrate(target, 'branchpos_app', migrations.slice(0, 3))).toEqual({ from: 0, to: 3 });
      const tenant = '0190a000-0000-7000-8000-000000000001';
      await pg.query(`INSERT INTO inventory_summary (tenant_id, product_id, quantity, reserved, in_transit, warehouse_count)
        SELECT $1::uuid, gen_random_uuid(), i, i % 3, 0, 1 FROM generate_series(1, 50) i`, [tenant]);
      const read = `SELECT product_id, quantity, reserved FROM inventory_summary WHERE tenant_id = $1 ORDER BY product_id`;
      const before = (await pg.query(read, [tenant])).rows;

      expect(await migrate(target, 'branchpos_app', migrations)).toEqual({ from: 3, to: latestVersion() });
      const def = await pg.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE indexname = 'inventory_summary_covering'`);
      expect(def.rows[0]?.indexdef).toMatch(INDEX_DEF);
      // With the heap paths switched off, the read must be answerable from the index alone.
      await pg.exec('SET enable_seqscan = off; SET enable_bitmapscan = off');
      const plan = await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${read.replace('$1', `'${tenant}'`)}`);
      expect(plan.rows.map((x) => x['QUERY PLAN']).join('\n')).toMatch(/Index Only Scan using inventory_summary_covering/);
      expect((await pg.query(read, [tenant])).rows).toEqual(before);
    } finally {
      await pg.close();
    }
  });
});
