import pg from 'pg';
import { DomainError } from '../../src-shared/errors';
import { assertTenantId, transactionModes, type Database, type Queryable, type TransactionOptions } from './database';
import { currentVersion, latestVersion, migrate, refuseNewer } from './migrate';
import { assertApplicationRole, assertDefinerBypassesRls } from './roles';

function wrap(client: pg.Pool | pg.PoolClient | pg.Client): Queryable {
  return {
    async query<R>(sql: string, params?: unknown[]) {
      const r = await client.query(sql, params);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
    },
  };
}

async function migrateAsOwner(ownerUrl: string, appRole: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const q = wrap(client);
    await migrate({ ...q, exec: async (sql) => { await client.query(sql); } }, appRole);
  } finally {
    await client.end();
  }
}

export async function openPostgres(databaseUrl: string, ownerUrl: string | undefined, poolSize = 10): Promise<Database> {
  const appRole = decodeURIComponent(new URL(databaseUrl).username);
  if (ownerUrl) await migrateAsOwner(ownerUrl, appRole);

  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  // An idle client losing its connection must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);

  async function inTransaction<T>(tenantId: string | null, fn: (tx: Queryable) => Promise<T>, opts?: TransactionOptions): Promise<T> {
    if (tenantId !== null) assertTenantId(tenantId);
    const client = await pool.connect();
    let broken = false;
    try {
      // BEGIN and the tenant ride in one round trip (a simple query of two
      // statements): on a short read the round trips, not the SQL, are most
      // of the time. Inlining the id is safe only because assertTenantId
      // admitted nothing but a canonical uuid (hex digits and dashes).
      await client.query(tenantId === null
        ? `BEGIN ${transactionModes(opts)}`
        : `BEGIN ${transactionModes(opts)}; SELECT set_config('app.tenant_id', '${tenantId}', true)`);
      const out = await fn(wrap(client));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      try { await client.query('ROLLBACK'); } catch { broken = true; }
      throw e;
    } finally {
      client.release(broken);
    }
  }

  try {
    const check = wrap(pool);
    await assertApplicationRole(check);
    const version = await currentVersion(check);
    refuseNewer(version);
    if (version < latestVersion()) {
      throw new DomainError('unavailable', `the database schema is at version ${version}, this server needs ${latestVersion()}: start it once with the owner's URL (DATABASE_OWNER_URL) to migrate`);
    }
    await assertDefinerBypassesRls(check);
  } catch (e) {
    await pool.end();
    throw e;
  }

  return {
    kind: 'postgres',
    withTenant: (tenantId, fn, opts) => inTransaction(tenantId, fn, opts),
    withoutTenant: (fn) => inTransaction(null, fn),
    statement: (sql, params) => wrap(pool).query(sql, params),
    async ping() { await pool.query('SELECT 1'); },
    async close() { await pool.end(); },
  };
}
