import { z } from 'zod';
import { DomainError, parseOrThrow } from '../../src-shared/errors';
import { Id } from '../../src-shared/primitives';
import { WarehouseKind } from '../../src-shared/primitives';
import { createAdjustments } from './adjustments';
import { createBackups, type BackupOptions } from './backup';
import { createCatalog } from './catalog';
import { SAFETY_NET_AUTOCHECKPOINT_FRAMES, startCheckpointer, type Checkpointer } from './checkpointer';
import { createConsistency } from './consistency';
import { createContext } from './context';
import { schemaVersion, runMigrations } from './migrations';
import { openDatabase } from './open-database';
import { createOutbox } from './outbox';
import { createQueries } from './queries';
import { createPurchaseOrders } from './purchase-orders';
import { createReceiving } from './receiving';
import { createReservations } from './reservations';
import { createReturns } from './returns';
import { prepareOutboxWrites } from './run-op';
import { createSales, prepareSaleWrites } from './sales';
import { createSyncApply } from './sync-apply';
import { createTransfers } from './transfers';
import { createViews } from './views';

/*
 * The branch inventory store: one SQLite file owned by the Electron main
 * process (or the headless core). Every operation validates its input, then
 * writes level + movement + domain record + outbox row in one transaction.
 */

export interface BranchStoreOptions {
  file: string;
  tenantId: string;
  warehouseId: string;
  deviceId: string;
  /** How this branch's own warehouse is named until central sends its record. */
  warehouse?: { code: string; name: string; kind: z.infer<typeof WarehouseKind>; timezone: string };
  backup?: BackupOptions;
  /** The clock (ISO time); tests fix it. */
  now?: () => string;
  /** Period of the background WAL checkpoint (default 250 ms); false leaves checkpoints to SQLite's automatic ones. */
  checkpointIntervalMs?: number | false;
  /** How long a write waits for another connection's lock before answering `unavailable` (default 5000 ms). */
  busyTimeoutMs?: number;
  /** Where background failures (scheduled backups aside) are reported. */
  onBackgroundError?: (message: string) => void;
}

const Identity = z.object({ tenantId: Id, warehouseId: Id, deviceId: Id });

export function openBranchStore(options: BranchStoreOptions) {
  const ids = parseOrThrow(Identity, options, 'store identity');
  const now = options.now ?? (() => new Date().toISOString());
  const db = openDatabase(options.file, options.busyTimeoutMs);
  let checkpointer: Checkpointer | undefined;
  try {
    runMigrations(db);
    const at = now();
    db.transaction(() => {
      db.prepare('INSERT OR IGNORE INTO store_identity (id, tenant_id, warehouse_id, device_id, created_at) VALUES (1, ?, ?, ?, ?)')
        .run(ids.tenantId, ids.warehouseId, ids.deviceId, at);
      const who = db.prepare<[], { tenant_id: string; warehouse_id: string; device_id: string }>('SELECT tenant_id, warehouse_id, device_id FROM store_identity').get();
      if (!who || who.tenant_id !== ids.tenantId || who.warehouse_id !== ids.warehouseId || who.device_id !== ids.deviceId) {
        throw new DomainError('invalid_state', `the database ${options.file} belongs to another tenant, warehouse or device`, { file: options.file, belongsTo: who });
      }
      db.prepare('INSERT OR IGNORE INTO device_counters (device_id) VALUES (?)').run(ids.deviceId);
      const w = options.warehouse ?? { code: ids.warehouseId.slice(-8), name: 'This branch', kind: 'store', timezone: 'Asia/Beirut' };
      db.prepare('INSERT OR IGNORE INTO warehouses (id, tenant_id, code, name, kind, timezone, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(ids.warehouseId, ids.tenantId, w.code, w.name, w.kind, w.timezone, at);
    }).immediate();

    const interval = options.checkpointIntervalMs ?? 250;
    if (interval !== false && options.file !== ':memory:') {
      const report = options.onBackgroundError ?? ((m: string) => console.error(`WAL checkpoint: ${m}`));
      try {
        checkpointer = startCheckpointer(options.file, interval, report);
        db.pragma(`wal_autocheckpoint = ${SAFETY_NET_AUTOCHECKPOINT_FRAMES}`);
        // A WAL that grew during a burst is cut back to 64 MiB once checkpointed.
        db.pragma('journal_size_limit = 67108864');
      } catch (e) {
        // No thread (e.g. a host without worker support): SQLite's automatic checkpoints still run.
        report(`background checkpoints unavailable: ${e instanceof Error ? e.message : String(e)}`);
      }
    }

    const ctx = createContext(db, ids, now);
    const ob = prepareOutboxWrites(db);
    const sw = prepareSaleWrites(db);
    const backups = createBackups(ctx, options.backup);
    const transfers = createTransfers(ctx, ob);
    const purchaseOrders = createPurchaseOrders(ctx);
    if (options.backup?.intervalMs) backups.startBackupSchedule();
    let closed = false;

    return {
      file: options.file,
      ...ids,
      schemaVersion: () => schemaVersion(db),
      ...createSales(ctx, ob, sw),
      ...createReturns(ctx, ob),
      ...createReservations(ctx, ob, sw),
      ...createReceiving(ctx, ob, purchaseOrders),
      ...createAdjustments(ctx, ob),
      ...transfers,
      ...createCatalog(ctx),
      ...createQueries(ctx),
      ...createOutbox(ctx),
      ...createConsistency(ctx),
      /** Read-only views for the screens (receipts by number, open orders, transfers, deliveries, other branches). */
      views: createViews(db, ids),
      /** What the sync engine (src-main/sync) needs: pull pages, rebase, its own state. */
      sync: createSyncApply(ctx, { applyTransferViews: transfers.applyTransferViews, applyPurchaseOrders: purchaseOrders.applyPurchaseOrders }),
      backupNow: backups.backupNow,
      listBackups: backups.listBackups,
      startBackupSchedule: backups.startBackupSchedule,
      stopBackupSchedule: backups.stopBackupSchedule,
      /** Stops the schedule, lets a running backup finish, closes the file. */
      async close(): Promise<void> {
        if (closed) return;
        closed = true;
        await backups.settle();
        await checkpointer?.stop();
        db.close();
      },
    };
  } catch (e) {
    void checkpointer?.stop();
    db.close();
    throw e;
  }
}

export type BranchStore = ReturnType<typeof openBranchStore>;
