import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FREE_ATTEMPTS, openUsers } from '../../../src-main/users/users';
import { createSession } from '../../../src-main/users/session';

let dir: string;
let db: Database.Database;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'bp-users-')); db = new Database(join(dir, 'branch.db')); });
afterEach(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });

describe('users', () => {
  it('stores only a salted scrypt hash and verifies the PIN', async () => {
    const users = openUsers(db);
    await users.upsert({ userId: 'rana', name: 'Rana', role: 'cashier', pin: '1234' });
    await users.upsert({ userId: 'sami', name: 'Sami', role: 'cashier', pin: '1234' });
    const rows = db.prepare('SELECT pin_hash FROM branch_users').all() as { pin_hash: string }[];
    expect(rows.every((r) => r.pin_hash.startsWith('scrypt$') && !r.pin_hash.includes('1234'))).toBe(true);
    expect(rows[0]?.pin_hash).not.toBe(rows[1]?.pin_hash);
    await expect(users.verify('rana', '1234')).resolves.toMatchObject({ userId: 'rana', role: 'cashier' });
    await expect(users.verify('rana', '4321')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(users.verify('nobody', '1234')).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('throttles after repeated wrong PINs, even for the right one, until the wait passes', async () => {
    const users = openUsers(db);
    await users.upsert({ userId: 'rana', name: 'Rana', role: 'cashier', pin: '1234' });
    const t0 = 1_000_000;
    for (let i = 0; i < FREE_ATTEMPTS; i += 1) await expect(users.verify('rana', '0000', t0)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(users.verify('rana', '1234', t0 + 1)).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(users.verify('rana', '1234', t0 + 31_000)).resolves.toMatchObject({ userId: 'rana' });
  });

  it('keeps users across reopen and refuses a newer users schema', async () => {
    await openUsers(db).upsert({ userId: 'maya', name: 'Maya', role: 'manager', pin: '9999' });
    expect(openUsers(db).list()).toEqual([{ userId: 'maya', name: 'Maya', role: 'manager' }]);
    db.prepare('UPDATE branch_users_schema SET version = 99').run();
    expect(() => openUsers(db)).toThrow(/version 99/);
  });
});

describe('session', () => {
  it('locks after idle and refuses work until signed in again', () => {
    const s = createSession(1000);
    expect(() => s.require(0)).toThrow(/sign in/);
    s.signIn({ userId: 'rana', name: 'Rana', role: 'cashier' }, 0);
    expect(s.require(500).userId).toBe('rana');
    expect(s.require(1400).userId).toBe('rana');
    expect(() => s.require(2500)).toThrow(/locked/);
    expect(s.state(2500)).toMatchObject({ locked: true, user: { userId: 'rana' } });
    s.signIn({ userId: 'rana', name: 'Rana', role: 'cashier' }, 2600);
    expect(s.require(2700).userId).toBe('rana');
  });
});

describe('session timer', () => {
  it('locks by itself after idle and tells its listeners', async () => {
    const s = createSession(1000);
    const seen: boolean[] = [];
    s.onChange((st) => seen.push(st.locked));
    s.signIn({ userId: 'rana', name: 'Rana', role: 'cashier' });
    await new Promise((r) => setTimeout(r, 1300));
    expect(seen).toEqual([false, true]);
    s.signOut();
  });
});
