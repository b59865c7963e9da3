import type Database from 'better-sqlite3';
import { DomainError } from '../../src-shared/errors';
import { PURCHASE_ORDERS_SCHEMA } from './purchase-orders';
import { SCHEMA_V1 } from './schema-v1';
import { SYNC_SCHEMA } from './sync-apply';

/*
 * Migrations in order, checked at every open (as Actual Budget and Signal do):
 * the database's PRAGMA user_version says how many have run. All pending ones
 * run in one transaction, so a failure leaves the file at its old version.
 * Never edit a migration that has shipped; add the next one.
 */

export interface Migration {
  version: number;
  name: string;
  up: (db: Database.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial branch store', up: (db) => db.exec(SCHEMA_V1) },
  { version: 2, name: 'sync state, central levels, follow-ups, exchange rates', up: (db) => db.exec(SYNC_SCHEMA) },
  { version: 3, name: 'purchase orders pulled from central', up: (db) => db.exec(PURCHASE_ORDERS_SCHEMA) },
  // A count correcting many units needs a manager; who approved it belongs with the count, as with an adjustment.
  { version: 4, name: 'counts keep the approving manager', up: (db) => db.exec('ALTER TABLE counts ADD COLUMN approved_by TEXT') },
];

export const LATEST_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the database to the latest version; returns the versions applied. */
export function runMigrations(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration registry out of order at ${m.name}`);
  });
  const latest = migrations.length;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new DomainError('database_newer', `the database is at schema version ${current}, newer than this app knows (${latest}): update the app`, { version: current, known: latest });
  }
  const pending = migrations.slice(current);
  if (pending.length === 0) return [];
  db.transaction(() => {
    for (const m of pending) m.up(db);
    // user_version lives in the file header and is part of this transaction.
    db.pragma(`user_version = ${latest}`);
  }).immediate();
  return pending.map((m) => m.version);
}
