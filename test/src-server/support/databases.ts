import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../../src-server/db/database';

/*
 * The databases the server tests run on: PGlite always (in memory), and the
 * real PostgreSQL when TEST_DATABASE_URL (a superuser URL) is set. Each
 * PostgreSQL test database is fresh, owned by `branchpos_owner`, migrated as
 * that owner and used through `branchpos_app`, a plain role that RLS applies to.
 */

export type DatabaseKind = 'pglite' | 'postgres';

export const OWNER_ROLE = 'branchpos_owner';
export const APP_ROLE = 'branchpos_app';

const superuserUrl = process.env.TEST_DATABASE_URL;

/** pglite always; postgres too when TEST_DATABASE_URL is set. Use with `describe.each(databaseKinds)`. */
export const databaseKinds: DatabaseKind[] = superuserUrl ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  kind: DatabaseKind;
  db: Database;
  /** PostgreSQL only: the application role's URL, for a second server instance on the same database. */
  appUrl?: string;
  /** PostgreSQL only: the superuser URL of this test database (bench setup, checks that must see every tenant). */
  superUrl?: string;
  /** Opens another Database on the same data (PostgreSQL only: PGlite is one process's memory). */
  openAnother(poolSize?: number): Promise<Database>;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  if (user !== undefined) {
    u.username = user;
    u.password = '';
  }
  return u.toString();
}

async function ensureRoles(admin: pg.Client): Promise<void> {
  // Roles are cluster-wide and test files run in parallel: create them under a lock.
  await admin.query('SELECT pg_advisory_lock(727002)');
  try {
    const have = await admin.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [[OWNER_ROLE, APP_ROLE]]);
    const names = new Set(have.rows.map((r) => r.rolname));
    // The owner bypasses RLS only for the SECURITY DEFINER lookups the workers use.
    if (!names.has(OWNER_ROLE)) await admin.query(`CREATE ROLE ${OWNER_ROLE} LOGIN NOSUPERUSER BYPASSRLS`);
    if (!names.has(APP_ROLE)) await admin.query(`CREATE ROLE ${APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS`);
  } finally {
    await admin.query('SELECT pg_advisory_unlock(727002)');
  }
}

export async function createTestDatabase(kind: DatabaseKind, poolSize = 10): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openDatabase({});
    return {
      kind, db,
      openAnother: () => Promise.reject(new Error('PGlite is in-process: no second instance')),
      drop: () => db.close(),
    };
  }
  if (!superuserUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `bp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: superuserUrl });
  await admin.connect();
  try {
    await ensureRoles(admin);
    await admin.query(`CREATE DATABASE ${name} OWNER ${OWNER_ROLE}`);
  } finally {
    await admin.end();
  }
  const appUrl = withDatabase(superuserUrl, name, APP_ROLE);
  const ownerUrl = withDatabase(superuserUrl, name, OWNER_ROLE);
  const opened: Database[] = [];
  const db = await openDatabase({ databaseUrl: appUrl, ownerUrl, poolSize });
  opened.push(db);
  return {
    kind, db, appUrl,
    superUrl: withDatabase(superuserUrl, name),
    async openAnother(size = poolSize) {
      const other = await openDatabase({ databaseUrl: appUrl, poolSize: size });
      opened.push(other);
      return other;
    },
    async drop() {
      for (const d of opened) await d.close().catch(() => undefined);
      const a = new pg.Client({ connectionString: superuserUrl });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}
