import { DomainError } from '../../src-shared/errors';
import type { Queryable } from './database';
import { migrations as allMigrations, type Migration } from './migrations/index';

/** A connection able to run multi-statement SQL (the migrations) as well as parameterised queries. */
export interface MigrationTarget extends Queryable {
  exec(sql: string): Promise<void>;
}

// Serialises two server processes starting at once against one database.
const MIGRATION_LOCK = 727_001;

const ROLE_RE = /^[a-z_][a-z0-9_]{0,62}$/;

export function latestVersion(list: readonly Migration[] = allMigrations): number {
  return list.reduce((m, x) => Math.max(m, x.version), 0);
}

function checkOrder(list: readonly Migration[]): void {
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list out of order at ${m.name}: version ${m.version}, expected ${i + 1}`);
  });
}

/** The schema version recorded in the database; 0 when it was never migrated. */
export async function currentVersion(q: Queryable): Promise<number> {
  const t = await q.query<{ present: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`);
  if (!t.rows[0]?.present) return 0;
  const r = await q.query<{ v: number | null }>(`SELECT max(version)::int AS v FROM schema_migrations`);
  return r.rows[0]?.v ?? 0;
}

export function refuseNewer(version: number, list: readonly Migration[] = allMigrations): void {
  const latest = latestVersion(list);
  if (version > latest) {
    throw new DomainError('database_newer', `the database schema is version ${version}, newer than this server (${latest}); upgrade the server`, { databaseVersion: version, codeVersion: latest });
  }
}

/**
 * Applies the pending migrations in one transaction (DDL is transactional in
 * PostgreSQL), then grants the application role what it needs. Run as the
 * role that owns the schema.
 */
export async function migrate(target: MigrationTarget, appRole: string, list: readonly Migration[] = allMigrations): Promise<{ from: number; to: number }> {
  if (!ROLE_RE.test(appRole)) throw new Error(`application role name not supported: ${appRole}`);
  checkOrder(list);
  await target.exec('BEGIN');
  try {
    await target.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await target.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const from = await currentVersion(target);
    refuseNewer(from, list);
    for (const m of list) {
      if (m.version <= from) continue;
      await target.exec(m.sql);
      await target.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await target.exec(grantsSql(appRole));
    await target.exec('COMMIT');
    return { from, to: latestVersion(list) };
  } catch (e) {
    await target.exec('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

function grantsSql(role: string): string {
  const r = `"${role}"`;
  return `
GRANT USAGE ON SCHEMA public TO ${r};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r};
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ${r};
REVOKE UPDATE, DELETE, TRUNCATE ON inventory_movements FROM ${r};
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM ${r};
`;
}
