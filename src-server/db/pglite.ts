import { PGlite, type Transaction } from '@electric-sql/pglite';
import { assertTenantId, transactionModes, type Database, type Queryable, type TransactionOptions } from './database';
import { migrate } from './migrate';

/** The role the embedded server runs as after migrating, so RLS applies exactly as on PostgreSQL. */
export const PGLITE_APP_ROLE = 'branchpos_app';

function wrap(tx: Transaction | PGlite): Queryable {
  return {
    async query<R>(sql: string, params?: unknown[]) {
      const r = await tx.query<R>(sql, params);
      return { rows: r.rows, rowCount: Math.max(r.affectedRows ?? 0, r.rows.length) };
    },
  };
}

export async function openPglite(dataDir?: string): Promise<Database> {
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  try {
    // PGlite's session user is a superuser: migrate as it, then drop to a plain role for the rest of the session.
    await db.exec(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${PGLITE_APP_ROLE}') THEN
        CREATE ROLE ${PGLITE_APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS;
      END IF; END $$;`);
    const q = wrap(db);
    await migrate({ ...q, exec: async (sql) => { await db.exec(sql); } }, PGLITE_APP_ROLE);
    await db.exec(`SET ROLE ${PGLITE_APP_ROLE}`);
  } catch (e) {
    await db.close();
    throw e;
  }

  function inTransaction<T>(tenantId: string | null, fn: (tx: Queryable) => Promise<T>, opts?: TransactionOptions): Promise<T> {
    if (tenantId !== null) assertTenantId(tenantId);
    const modes = transactionModes(opts);
    return db.transaction(async (tx) => {
      if (modes) await tx.query(`SET TRANSACTION ${modes}`);
      if (tenantId !== null) await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      return fn(wrap(tx));
    });
  }

  return {
    kind: 'pglite',
    withTenant: (tenantId, fn, opts) => inTransaction(tenantId, fn, opts),
    withoutTenant: (fn) => inTransaction(null, fn),
    // PGlite's query waits for any transaction in progress, so it never runs inside one.
    statement: (sql, params) => wrap(db).query(sql, params),
    async ping() { await db.query('SELECT 1'); },
    async close() { if (!db.closed) await db.close(); },
  };
}
