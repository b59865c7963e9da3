import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../../src-shared/errors';

/*
 * One server per PGlite data folder. PGlite has no lock of its own, and two
 * processes writing one folder corrupt it: the second `npm run server` on the
 * same folder must stop with a clear message instead. A lock left by a
 * process that died (power cut, kill -9) is taken over.
 */

export interface DataDirLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dir: string): DataDirLock {
  const path = join(dir, 'server.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(path, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new DomainError('unavailable', `another server (pid ${pid}) is using the data folder ${dir}; stop it first, or give this one its own --data-dir (if no server is running, delete ${path})`, { pid });
      }
      rmSync(path, { force: true });
    }
  }
  throw new DomainError('unavailable', `cannot take the lock on the data folder ${dir}`);
}
