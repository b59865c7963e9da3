import type Database from 'better-sqlite3';
import { z } from 'zod';
import { migrateTillTables } from './till-schema';

/*
 * Settings of this till that central will own once sync runs (the tenant's
 * LBP rate): kept here so the till works before its first sync.
 */
const Settings = z.object({ lbpPerUsd: z.number().int().min(1).max(10_000_000) });
export type TillSettings = z.infer<typeof Settings>;
const DEFAULTS: TillSettings = { lbpPerUsd: 89_500 };

export interface TillSettingsStore {
  get(): TillSettings;
  set(change: Partial<TillSettings>): TillSettings;
}

export function openTillSettings(db: Database.Database): TillSettingsStore {
  migrateTillTables(db);
  const read = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM till_settings');
  const write = db.prepare('INSERT INTO till_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
  const get = (): TillSettings => {
    const stored = Object.fromEntries(read.all().map((r) => [r.key, JSON.parse(r.value) as unknown]));
    return Settings.parse({ ...DEFAULTS, ...stored });
  };
  return {
    get,
    set(change) {
      const next = Settings.parse({ ...get(), ...change });
      const at = new Date().toISOString();
      db.transaction(() => { for (const [k, v] of Object.entries(change)) write.run(k, JSON.stringify(v), at); })();
      return next;
    },
  };
}
