import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * close() is often a process's last await (a till shutting down, the sync
 * crash test's child). The checkpoint thread is unref'd so it never keeps the
 * app alive; while stopping it must, or Node sees an empty event loop and
 * exits (code 13, unsettled top-level await) before the store has closed.
 */
describe('closing the store as the last thing a process does', () => {
  it('finishes every time', () => {
    const child = join(import.meta.dirname, 'close-child.ts');
    for (let i = 0; i < 8; i += 1) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', timeout: 30_000 });
      expect({ status: r.status, out: r.stdout.trim() }).toEqual({ status: 0, out: 'closed' });
    }
  }, 120_000);
});
