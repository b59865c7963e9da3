import type Database from 'better-sqlite3';
import { DomainError } from '../../src-shared/errors';

/*
 * The till's own tables (users and their PINs, local settings) in the branch
 * SQLite file, with their own ordered migration list checked at open, so they
 * do not depend on the store's registry (src-main/store/migrations.ts). A file
 * written by a newer version is refused, as the store does.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE branch_users (
     user_id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('cashier','clerk','manager')),
     pin_hash TEXT NOT NULL,
     active INTEGER NOT NULL DEFAULT 1,
     failed_attempts INTEGER NOT NULL DEFAULT 0,
     locked_until_ms INTEGER NOT NULL DEFAULT 0,
     updated_at TEXT NOT NULL
   ) STRICT`,
  `CREATE TABLE till_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT`,
];

export function migrateTillTables(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS branch_users_schema (version INTEGER NOT NULL) STRICT');
  const row = db.prepare('SELECT version FROM branch_users_schema').get() as { version: number } | undefined;
  const version = row?.version ?? 0;
  if (version > MIGRATIONS.length) {
    throw new DomainError('database_newer', `the till's tables are at version ${version}, this app knows ${MIGRATIONS.length}: update the app`);
  }
  if (row && version === MIGRATIONS.length) return;
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v += 1) db.exec(MIGRATIONS[v] ?? '');
    if (!row) db.prepare('INSERT INTO branch_users_schema (version) VALUES (?)').run(MIGRATIONS.length);
    else db.prepare('UPDATE branch_users_schema SET version = ?').run(MIGRATIONS.length);
  }).immediate();
}
