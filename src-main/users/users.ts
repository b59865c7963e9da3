import type Database from 'better-sqlite3';
import { z } from 'zod';
import { DomainError } from '../../src-shared/errors';
import { Role } from '../../src-shared/primitives';
import { Pin, UserId, type UserSummary } from '../../src-shared/branch-api';
import type { PullUser } from '../../src-shared/sync';
import { migrateTillTables } from './till-schema';
import { hashPin, verifyPinHash } from './pin-hash';

/*
 * The people who may use this till. Users will arrive from central by sync
 * (with their PIN hashes); until then `upsert` is how the demo seed and the
 * tests create them.
 */

/** After this many wrong PINs in a row the user is refused for a while, doubling each further failure. */
export const FREE_ATTEMPTS = 5;
const BASE_LOCKOUT_MS = 30_000;
const MAX_LOCKOUT_MS = 15 * 60_000;

export const UserUpsert = z.object({ userId: UserId, name: z.string().trim().min(1).max(120), role: Role, pin: Pin, active: z.boolean().default(true) });
export type UserUpsert = z.input<typeof UserUpsert>;

interface UserRow { user_id: string; name: string; role: string; pin_hash: string; active: number; failed_attempts: number; locked_until_ms: number }

export interface Users {
  upsert(user: UserUpsert): Promise<UserSummary>;
  list(): UserSummary[];
  get(userId: string): UserSummary | null;
  /** The user when the PIN is right; a `unauthorized` or `rate_limited` DomainError otherwise. */
  verify(userId: string, pin: string, now?: number): Promise<UserSummary>;
  /** Central's users for this warehouse (from a pull): written when changed; returns how many rows changed. */
  applyCentralUsers(list: readonly PullUser[]): number;
}

function summary(r: UserRow): UserSummary {
  return { userId: r.user_id, name: r.name, role: Role.parse(r.role) };
}

export function openUsers(db: Database.Database): Users {
  migrateTillTables(db);
  const byId = db.prepare<[string], UserRow>('SELECT * FROM branch_users WHERE user_id = ?');
  const all = db.prepare<[], UserRow>('SELECT * FROM branch_users WHERE active = 1 ORDER BY role, name');
  const upsertStmt = db.prepare(`INSERT INTO branch_users (user_id, name, role, pin_hash, active, updated_at)
    VALUES (@userId, @name, @role, @pinHash, @active, @now)
    ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash,
      active = excluded.active, failed_attempts = 0, locked_until_ms = 0, updated_at = excluded.updated_at`);
  // Rewritten on every pull: only a real change writes, and the failed-attempt throttle survives unless the PIN itself changed.
  const centralStmt = db.prepare(`INSERT INTO branch_users (user_id, name, role, pin_hash, active, updated_at)
    VALUES (@userId, @name, @role, @pinHash, @active, @now)
    ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash, active = excluded.active,
      failed_attempts = CASE WHEN branch_users.pin_hash = excluded.pin_hash THEN branch_users.failed_attempts ELSE 0 END,
      locked_until_ms = CASE WHEN branch_users.pin_hash = excluded.pin_hash THEN branch_users.locked_until_ms ELSE 0 END,
      updated_at = excluded.updated_at
    WHERE branch_users.name IS NOT excluded.name OR branch_users.role IS NOT excluded.role
       OR branch_users.pin_hash IS NOT excluded.pin_hash OR branch_users.active IS NOT excluded.active`);
  const applyCentral = db.transaction((list: readonly PullUser[]) => {
    const now = new Date().toISOString();
    let changed = 0;
    for (const u of list) {
      changed += centralStmt.run({ userId: u.username, name: u.name, role: u.role, pinHash: u.pinHash, active: u.active ? 1 : 0, now }).changes;
    }
    return changed;
  });
  const failStmt = db.prepare('UPDATE branch_users SET failed_attempts = ?, locked_until_ms = ? WHERE user_id = ?');
  const okStmt = db.prepare('UPDATE branch_users SET failed_attempts = 0, locked_until_ms = 0 WHERE user_id = ?');

  return {
    async upsert(input) {
      const u = UserUpsert.parse(input);
      const pinHash = await hashPin(u.pin);
      upsertStmt.run({ userId: u.userId, name: u.name, role: u.role, pinHash, active: u.active ? 1 : 0, now: new Date().toISOString() });
      return { userId: u.userId, name: u.name, role: u.role };
    },
    applyCentralUsers: (list) => applyCentral(list),
    list: () => all.all().map(summary),
    get(userId) {
      const r = byId.get(userId);
      return r && r.active ? summary(r) : null;
    },
    async verify(userId, pin, now = Date.now()) {
      const r = byId.get(userId);
      // Unknown users still pay for a hash, so timing does not tell which ids exist.
      if (!r || !r.active) {
        await verifyPinHash(pin, 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
        throw new DomainError('unauthorized', 'wrong user or PIN');
      }
      if (r.locked_until_ms > now) {
        throw new DomainError('rate_limited', 'too many wrong PINs: wait before trying again', { retryAfterMs: r.locked_until_ms - now });
      }
      if (!Pin.safeParse(pin).success || !(await verifyPinHash(pin, r.pin_hash))) {
        const failed = r.failed_attempts + 1;
        const over = failed - FREE_ATTEMPTS;
        const lockedUntil = over >= 0 ? now + Math.min(MAX_LOCKOUT_MS, BASE_LOCKOUT_MS * 2 ** over) : 0;
        failStmt.run(failed, lockedUntil, r.user_id);
        throw new DomainError('unauthorized', 'wrong user or PIN', { attemptsLeft: Math.max(0, FREE_ATTEMPTS - failed) });
      }
      okStmt.run(r.user_id);
      return summary(r);
    },
  };
}
