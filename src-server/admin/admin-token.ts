import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database';
import { hashToken } from '../devices/tokens';

/*
 * The admin token. From BRANCHPOS_ADMIN_TOKEN when the operator sets one;
 * otherwise generated at the first start, printed once, and only its SHA-256
 * kept, in the database (for PGlite that is the data folder), so a copied
 * database or log of a later start never holds it. The table is readable only
 * outside any tenant transaction (see the migration), so no tenant-scoped
 * query can reach it.
 */

export interface AdminTokenState {
  /** Hex SHA-256 the bearer token must match. */
  hash: string;
  /** The token in clear, only on the start that generated it (to print once). */
  generated: string | null;
}

export function newAdminToken(): string {
  return `bpa.${randomBytes(32).toString('base64url')}`;
}

export async function readStoredAdminHash(db: Database): Promise<string | null> {
  const { rows } = await db.withoutTenant((tx) =>
    tx.query<{ token_hash: string }>('SELECT token_hash FROM admin_credentials WHERE id = 1'));
  return rows[0]?.token_hash ?? null;
}

/**
 * The admin token in force. `rotate` (the --rotate-admin-token flag, for a
 * lost or leaked token) replaces the stored hash with a new token's; the old
 * token stops working at once.
 */
export async function ensureAdminToken(db: Database, fromEnv: string | undefined, rotate = false): Promise<AdminTokenState> {
  if (fromEnv) return { hash: hashToken(fromEnv), generated: null };
  if (rotate) {
    const token = newAdminToken();
    await db.withoutTenant((tx) => tx.query(
      `INSERT INTO admin_credentials (id, token_hash) VALUES (1, $1)
       ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()`, [hashToken(token)]));
    return { hash: hashToken(token), generated: token };
  }
  const stored = await readStoredAdminHash(db);
  if (stored) return { hash: stored, generated: null };
  const token = newAdminToken();
  // Two servers starting at once on one database: one insert wins, the other reads the winner's hash.
  const { rowCount } = await db.withoutTenant((tx) =>
    tx.query('INSERT INTO admin_credentials (id, token_hash) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [hashToken(token)]));
  if (rowCount === 1) return { hash: hashToken(token), generated: token };
  const winner = await readStoredAdminHash(db);
  if (!winner) throw new Error('admin credential vanished during start');
  return { hash: winner, generated: null };
}
