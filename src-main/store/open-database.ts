import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DomainError } from '../../src-shared/errors';

/** SQLite result codes that mean "this file is not a usable database", not a bug of ours. */
const UNUSABLE = /^SQLITE_(NOTADB|CORRUPT|CANTOPEN|IOERR|PERM|READONLY|FULL)/;

export function sqliteCode(e: unknown): string | undefined {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  return undefined;
}

/**
 * Opens the branch database with the durability the shop needs, or refuses
 * with `database_corrupt` (the file is damaged, not SQLite, or unreadable).
 */
export function openDatabase(file: string, busyTimeoutMs = 5000): Database.Database {
  let db: Database.Database | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // synchronous=FULL: in WAL mode, NORMAL only syncs the log at checkpoints, so a
    // power cut (frequent where our shops are) can lose the last committed sales,
    // receipts and outbox ops that the customer already walked out with. FULL
    // fsyncs the log at every commit: a committed sale survives the power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    const check = db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>;
    const problems = check.map((r) => r.quick_check).filter((m) => m !== 'ok');
    if (problems.length > 0) {
      throw new DomainError('database_corrupt', `the branch database ${file} is damaged (${problems.slice(0, 3).join('; ')}): restore it from a backup`, { file, problems: problems.slice(0, 20) });
    }
    return db;
  } catch (e) {
    db?.close();
    if (e instanceof DomainError) throw e;
    const code = sqliteCode(e);
    if (code && UNUSABLE.test(code)) {
      const why = e instanceof Error ? e.message : String(e);
      throw new DomainError('database_corrupt', `the branch database ${file} cannot be used (${code}: ${why}): restore it from a backup`, { file, sqliteCode: code });
    }
    throw e;
  }
}
