import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreContext } from './context';

/*
 * Backups through SQLite's online backup API (db.backup), never a copy of the
 * live file: a file copy taken mid-commit, or without its WAL, is a corrupt
 * backup. Each is written under a temporary name and renamed when complete,
 * so a power cut never leaves a half-written file that looks like a backup.
 * The newest `keep` are kept.
 */

export interface BackupOptions {
  dir: string;
  /** How many backups to keep (newest first). */
  keep?: number;
  /** Schedule period; no schedule when absent. */
  intervalMs?: number;
  /** Scheduled backups have no caller to throw to: their failures come here. */
  onError?: (e: unknown) => void;
}

export interface BackupInfo { file: string; bytes: number; at: string }

const NAME = /^branch-\d{8}T\d{9}Z-\d{6}\.sqlite$/;
let made = 0;

export function createBackups(ctx: StoreContext, opts: BackupOptions | undefined) {
  let inFlight: Promise<BackupInfo> | undefined;
  let timer: NodeJS.Timeout | undefined;

  function list(dir: string): string[] {
    return readdirSync(dir).filter((f) => NAME.test(f)).sort();
  }

  async function run(o: BackupOptions): Promise<BackupInfo> {
    const at = new Date();
    made = (made + 1) % 1_000_000;
    const name = `branch-${at.toISOString().replace(/[-:.]/g, '')}-${String(made).padStart(6, '0')}.sqlite`;
    const final = join(o.dir, name);
    const partial = `${final}.partial`;
    try {
      await ctx.db.backup(partial);
      renameSync(partial, final);
    } catch (e) {
      rmSync(partial, { force: true });
      throw e;
    }
    const keep = Math.max(1, o.keep ?? 10);
    const all = list(o.dir);
    for (const old of all.slice(0, Math.max(0, all.length - keep))) rmSync(join(o.dir, old), { force: true });
    return { file: final, bytes: statSync(final).size, at: at.toISOString() };
  }

  const api = {
    /** Backs up now; a backup already running is joined rather than doubled. */
    backupNow(): Promise<BackupInfo> {
      if (!opts) return Promise.reject(new Error('no backup directory configured for this store'));
      inFlight ??= run(opts).finally(() => { inFlight = undefined; });
      return inFlight;
    },
    listBackups(): string[] {
      return opts ? list(opts.dir).map((f) => join(opts.dir, f)) : [];
    },
    startBackupSchedule(intervalMs = opts?.intervalMs): void {
      if (!opts || !intervalMs || timer) return;
      const onError = opts.onError ?? ((e: unknown) => console.error('scheduled backup failed', e));
      // unref: a pending backup timer never keeps the app from quitting.
      timer = setInterval(() => { api.backupNow().catch(onError); }, intervalMs).unref();
    },
    stopBackupSchedule(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    /** Waits for a running backup (closing the database under it would fail it). */
    async settle(): Promise<void> {
      api.stopBackupSchedule();
      if (inFlight) await inFlight.catch(() => undefined);
    },
  };
  return api;
}
