import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../../src-server/http/data-dir-lock';

describe('the data folder lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bp-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('admits one server per folder and frees the folder on release', () => {
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`another server \\(pid ${process.pid}\\)`));
    lock.release();
    expect(existsSync(join(dir, 'server.lock'))).toBe(false);
    lockDataDir(dir).release();
  });

  it('takes over a lock left by a process that died', () => {
    // 2^22 + 1 is above Linux's pid_max default range; no such process runs.
    writeFileSync(join(dir, 'server.lock'), `${4_194_305}\n`);
    const lock = lockDataDir(dir);
    lock.release();
  });
});
