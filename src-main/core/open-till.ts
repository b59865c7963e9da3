import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Id } from '../../src-shared/primitives';
import { DEMO_DEVICE_ID, DEMO_TENANT_ID, DEMO_WAREHOUSES } from '../demo/catalog';
import { seedDemo, type SeedResult } from '../demo/seed';
import { openBranchStore, type BranchStore } from '../store/index';
import { createSession } from '../users/session';
import { openTillSettings, type TillSettingsStore } from '../users/till-settings';
import { openUsers, type Users } from '../users/users';
import { adaptStore } from './adapt-store';
import { createBranchCore, type BranchCore, type CoreLogger } from './core';
import type { Thresholds } from './handlers';
import { openStoreReads } from './store-reads';
import { createSyncStatusSource, type SyncStatusSource } from './sync-status';

/*
 * Everything a till runs on, opened in one place for every host (Electron,
 * `npm start`'s web host, tests, the benchmark): the branch store file, the
 * till's own tables, the session and the core.
 */

const Identity = z.object({ tenantId: Id, warehouseId: Id, deviceId: Id });
type Identity = z.infer<typeof Identity>;

export interface OpenTillOptions {
  dataDir: string;
  /** Start over: delete this till's database first. */
  reset?: boolean;
  /** Load the demo catalog and users (once). */
  seedDemo?: boolean;
  demoProducts?: number;
  /** Until enrollment with central (issue 4) gives real ids, a new till takes the demo tenant's. */
  identity?: Identity;
  idleLockMs?: number;
  thresholds?: Thresholds;
  log?: CoreLogger;
}

export interface Till {
  core: BranchCore;
  store: BranchStore;
  users: Users;
  settings: TillSettingsStore;
  sync: SyncStatusSource;
  file: string;
  seed: SeedResult | null;
  close(): Promise<void>;
}

function identityOf(dataDir: string, given: Identity | undefined): Identity {
  const file = join(dataDir, 'till.json');
  if (existsSync(file)) return Identity.parse(JSON.parse(readFileSync(file, 'utf8')));
  const id = given ?? { tenantId: DEMO_TENANT_ID, warehouseId: DEMO_WAREHOUSES.beirut.id, deviceId: DEMO_DEVICE_ID };
  writeFileSync(file, `${JSON.stringify(id, null, 2)}\n`, { mode: 0o600 });
  return id;
}

export async function openTill(opts: OpenTillOptions): Promise<Till> {
  mkdirSync(opts.dataDir, { recursive: true });
  const file = join(opts.dataDir, 'branch.db');
  if (opts.reset) {
    for (const f of [file, `${file}-wal`, `${file}-shm`, join(opts.dataDir, 'till.json')]) rmSync(f, { force: true });
  }
  const identity = identityOf(opts.dataDir, opts.identity);
  const w = identity.warehouseId === DEMO_WAREHOUSES.beirut.id ? DEMO_WAREHOUSES.beirut : undefined;
  const store = openBranchStore({ file, ...identity, ...(w ? { warehouse: w } : {}) });
  // The till's own tables and read views use their own connections to the same WAL file.
  const tillDb = new Database(file);
  tillDb.pragma('journal_mode = WAL');
  tillDb.pragma('synchronous = FULL');
  tillDb.pragma('busy_timeout = 5000');
  const readDb = new Database(file, { readonly: true });
  readDb.pragma('busy_timeout = 5000');
  try {
    const users = openUsers(tillDb);
    const settings = openTillSettings(tillDb);
    const reads = openStoreReads(readDb, identity);
    const port = adaptStore(store, reads, settings);
    const seed = opts.seedDemo ? await seedDemo(store, users, opts.demoProducts) : null;
    const session = createSession(opts.idleLockMs);
    const sync = createSyncStatusSource(port.extras);
    const core = createBranchCore({ store: port, users, session, sync, ...(opts.thresholds ? { thresholds: opts.thresholds } : {}), ...(opts.log ? { log: opts.log } : {}) });
    return {
      core, store, users, settings, sync, file, seed,
      async close() {
        reads.close();
        tillDb.close();
        await store.close();
      },
    };
  } catch (e) {
    readDb.close();
    tillDb.close();
    await store.close();
    throw e;
  }
}
