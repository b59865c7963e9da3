import Database from 'better-sqlite3';
import { mkdirSync, openSync, readFileSync, writeFileSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBranchStore } from '../../../src-main/store';
import { DEVICE, expectDomainError, openFixture, TENANT, tempDir, WAREHOUSE } from './helpers';

const open = (file: string, over: Record<string, string> = {}) => openBranchStore({ file, tenantId: TENANT, warehouseId: WAREHOUSE, deviceId: DEVICE, ...over });

describe('opening the branch database', () => {
  it('a file that is not SQLite is database_corrupt, not a crash', () => {
    const file = join(tempDir(), 'notes.sqlite');
    writeFileSync(file, 'this is a shopping list, not a database\n'.repeat(200));
    const e = expectDomainError(() => open(file), 'database_corrupt');
    expect(e.message).toContain('restore it from a backup');
    expect(readFileSync(file, 'utf8')).toContain('shopping list');
  });

  it('a database with damaged pages is database_corrupt', async () => {
    const { store, file } = openFixture(300, 5);
    await store.close();
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    // Scribble over pages past the header (the header stays valid, the B-trees do not).
    const junk = Buffer.alloc(4096 * 4, 0xa5);
    writeSync(fd, junk, 0, junk.length, Math.min(4096 * 3, size - junk.length));
    closeSync(fd);
    expectDomainError(() => open(file), 'database_corrupt');
  });

  it('a path that cannot be opened is database_corrupt', () => {
    const dir = join(tempDir(), 'a-directory.sqlite');
    mkdirSync(dir);
    expectDomainError(() => open(dir), 'database_corrupt');
  });

  it('a database of another device or branch is refused', async () => {
    const file = join(tempDir(), 'b.sqlite');
    await open(file).close();
    expectDomainError(() => open(file, { deviceId: '018f0000-0000-7000-8000-0000000000ff' }), 'invalid_state');
    expectDomainError(() => open(file, { warehouseId: 'not-a-uuid' }), 'validation');
  });

  it('sets WAL, synchronous=FULL, foreign keys on the connection it uses', async () => {
    const file = join(tempDir(), 'b.sqlite');
    const s = open(file);
    await s.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    // The per-connection pragmas are checked through behaviour: a foreign key violation is refused.
    const again = open(file);
    expectDomainError(() => again.setOpeningStock([{ productId: '018f0000-0000-7000-8000-0000000000aa', quantity: 1 }]), 'unknown_product');
    await again.close();
  });
});
