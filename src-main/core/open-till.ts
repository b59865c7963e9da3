import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Id } from '../../src-shared/primitives';
import { DEMO_DEVICE_ID, DEMO_TENANT_ID, DEMO_WAREHOUSES } from '../demo/catalog';
import { seedDemo, type SeedResult } from '../demo/seed';
import { openBranchStore, type BranchStore } from '../store/index';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions, type SyncStorePort } from '../sync/engine';
import { enrollDevice } from '../sync/enroll';
import type { TokenVault } from '../sync/vault';
import { createSession } from '../users/session';
import { openTillSettings, type TillSettingsStore } from '../users/till-settings';
import { openUsers, type Users } from '../users/users';
import { adaptStore } from './adapt-store';
import { createBranchCore, type BranchCore, type CoreLogger } from './core';
import type { Thresholds } from './handlers';
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
  /** Sync with central: the till's identity then comes from its enrollment, and the engine runs beside the core. */
  central?: TillCentral;
}

export interface TillCentral {
  /** Where the device token lives (a 0600 file under Node, safeStorage under Electron). */
  vault: TokenVault;
  /** Enrol with this code when the vault holds no enrollment yet (once per device). */
  enroll?: { serverUrl: string; code: string; deviceName: string };
  /** Timers and limits of the engine (tests shorten them). */
  engine?: Omit<SyncEngineOptions, 'store' | 'vault'>;
}

export interface Till {
  core: BranchCore;
  store: BranchStore;
  users: Users;
  settings: TillSettingsStore;
  sync: SyncStatusSource;
  /** The sync engine, when the till is enrolled with central (started by openTill, stopped by close). */
  engine: SyncEngine | null;
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

/**
 * The store as the sync engine sees it, plus one thing the store does not own:
 * the users central sends with a pull go into the till's users table. After
 * the page's own transaction (another connection); every pull resends them,
 * so a crash between the two is repaired by the next one.
 */
function withCentralUsers(store: BranchStore, users: Users): SyncStorePort {
  const s = store.sync;
  return {
    deviceId: store.deviceId,
    warehouseId: store.warehouseId,
    pendingOps: (n) => store.pendingOps(n),
    markSynced: (rs) => store.markSynced(rs),
    sync: {
      state: () => s.state(),
      saveIdentity: (url, deviceId) => s.saveIdentity(url, deviceId),
      applyPage(page) {
        const stats = s.applyPage(page);
        if (page.users) users.applyCentralUsers(page.users);
        return stats;
      },
      applyPushResults: (rs) => s.applyPushResults(rs),
      markSyncedAt: (at) => s.markSyncedAt(at),
      opsFromSeq: (seq, n) => s.opsFromSeq(seq, n),
      counters: () => s.counters(),
      inTransaction: (fn) => s.inTransaction(fn),
    },
  };
}

export async function openTill(opts: OpenTillOptions): Promise<Till> {
  mkdirSync(opts.dataDir, { recursive: true });
  const file = join(opts.dataDir, 'branch.db');
  if (opts.reset) {
    for (const f of [file, `${file}-wal`, `${file}-shm`, join(opts.dataDir, 'till.json')]) rmSync(f, { force: true });
    // A fresh database restarts its seq at 1: under the old device id central would take its ops for duplicates.
    opts.central?.vault.clear();
  }
  const central = opts.central;
  let enrollment = central?.vault.load() ?? null;
  if (central?.enroll && !enrollment) {
    await enrollDevice({ ...central.enroll, vault: central.vault });
    enrollment = central.vault.load();
  }
  const identity = identityOf(opts.dataDir, enrollment
    ? { tenantId: enrollment.tenantId, warehouseId: enrollment.warehouseId, deviceId: enrollment.deviceId }
    : opts.identity);
  const w = identity.warehouseId === DEMO_WAREHOUSES.beirut.id ? DEMO_WAREHOUSES.beirut : undefined;
  const store = openBranchStore({ file, ...identity, ...(w ? { warehouse: w } : {}) });
  // The till's own tables (users, settings) use their own connection to the same WAL file.
  const tillDb = new Database(file);
  tillDb.pragma('journal_mode = WAL');
  tillDb.pragma('synchronous = FULL');
  tillDb.pragma('busy_timeout = 5000');
  try {
    const users = openUsers(tillDb);
    const settings = openTillSettings(tillDb);
    const port = adaptStore(store, store.views, settings);
    // Enrolled, the catalog, stock and users all come from central: nothing demo is loaded locally.
    const seed = opts.seedDemo && !central ? await seedDemo(store, users, opts.demoProducts) : null;
    const session = createSession(opts.idleLockMs);
    const engine = central ? createSyncEngine({ ...central.engine, store: withCentralUsers(store, users), vault: central.vault }) : null;
    const sync = createSyncStatusSource(port.extras, engine);
    engine?.status.subscribe((s) => sync.setEngineState({ state: s.state, progress: s.progress, lastError: s.lastError }));
    const core = createBranchCore({ store: port, users, session, sync, ...(opts.thresholds ? { thresholds: opts.thresholds } : {}), ...(opts.log ? { log: opts.log } : {}) });
    engine?.start();
    return {
      core, store, users, settings, sync, engine, file, seed,
      async close() {
        await engine?.stop();
        tillDb.close();
        await store.close();
      },
    };
  } catch (e) {
    tillDb.close();
    await store.close();
    throw e;
  }
}
