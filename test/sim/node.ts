import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openBranchStore, type BranchStore } from '../../src-main/store';
import { createSyncEngine, type SyncEngine, type SyncEngineOptions } from '../../src-main/sync/engine';
import { createFileVault, type TokenVault } from '../../src-main/sync/vault';

/*
 * One branch device in the simulation: its own SQLite file, its own vault and
 * sync engine, reaching central through its own link of the fault proxy.
 * A kill closes the store and drops the engine without letting it finish
 * (in-process: a request already on the wire may still reach central, like a
 * dying process's last packet); a restart reopens the same file.
 */

export interface NodeIdentity {
  name: string;
  tenantId: string;
  warehouseId: string;
  deviceId: string;
  token: string;
}

export interface BranchNode {
  readonly id: NodeIdentity;
  readonly file: string;
  readonly store: BranchStore;
  readonly engine: SyncEngine;
  kill(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
  /** A separate read-only connection for checks (WAL: it sees the last commit). */
  read<T>(fn: (db: Database.Database) => T): T;
}

export function openNode(id: NodeIdentity, dir: string, serverUrl: string, tuning: Partial<SyncEngineOptions> = {}): BranchNode {
  const file = join(dir, `${id.name}.sqlite`);
  const vault: TokenVault = createFileVault(join(dir, `${id.name}-vault`));
  if (!vault.load()) {
    vault.save({ serverUrl, deviceId: id.deviceId, tenantId: id.tenantId, warehouseId: id.warehouseId, deviceName: id.name, token: id.token, enrolledAt: new Date().toISOString() });
  }
  const open = () => {
    const store = openBranchStore({ file, tenantId: id.tenantId, warehouseId: id.warehouseId, deviceId: id.deviceId });
    const engine = createSyncEngine({
      store, vault, intervalMs: 3_600_000, backoff: { baseMs: 5, capMs: 20 }, pushBatch: 20, pullLimit: 50, requestTimeoutMs: 5000, ...tuning,
    });
    return { store, engine };
  };
  let cur = open();
  let alive = true;
  const node: BranchNode = {
    id,
    file,
    get store() {
      return cur.store;
    },
    get engine() {
      return cur.engine;
    },
    async kill() {
      if (!alive) return;
      alive = false;
      void cur.engine.stop();
      await cur.store.close();
    },
    async restart() {
      await node.kill();
      cur = open();
      alive = true;
    },
    async close() {
      if (!alive) return;
      alive = false;
      await cur.engine.stop();
      await cur.store.close();
    },
    read(fn) {
      const db = new Database(file, { readonly: true });
      try {
        return fn(db);
      } finally {
        db.close();
      }
    },
  };
  return node;
}
