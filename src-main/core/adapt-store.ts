import type { BranchStore } from '../store/index';
import type { TillSettingsStore } from '../users/till-settings';
import type { StoreViews } from '../store/views';
import type { StorePort } from './store-port';

/** Maps the branch store (issue 2), the till's read views and its settings onto the port the core is written against. */
export function adaptStore(store: BranchStore, reads: StoreViews, settings: TillSettingsStore): StorePort {
  return {
    operations: {
      sell: (i) => store.sell(i),
      returnSale: (i) => store.returnSale(i),
      reserve: (i) => store.reserve(i),
      release: (i) => store.release(i),
      fulfil: (i) => store.fulfil(i),
      receive: (i) => store.receive(i),
      adjust: (i) => store.adjust(i),
      count: (i) => store.count(i),
      transferOut: (i) => store.transferOut(i),
      transferIn: (i) => store.transferIn(i),
    },
    queries: {
      stockList: (p) => store.stockList(p),
      lowStock: (p) => store.lowStock(p),
      movementHistory: (p) => store.movementHistory(p),
      lookup: (p) => store.lookup(p),
      searchProducts: (p) => store.searchProducts(p),
      inventorySummary: () => store.inventorySummary(),
      openDiscrepancies: (p) => store.openDiscrepancies(p),
    },
    extras: {
      deviceId: store.deviceId,
      warehouseId: store.warehouseId,
      ...reads,
      // Central's rate once a pull brought one; the till's own setting before the first sync.
      lbpPerUsd: () => store.sync.lbpPerUsd() ?? settings.get().lbpPerUsd,
      // Refused reservations reach the branch by sync: on a push refusal or a pull of central's follow-ups.
      followUps: () => store.sync.followUps(),
      syncCounters() {
        const c = store.sync.counters();
        return {
          pendingOps: c.pendingOps,
          oldestPendingAgeMs: c.oldestPendingAt === null ? null : Math.max(0, Date.now() - Date.parse(c.oldestPendingAt)),
          lastSyncAt: c.lastSyncAt,
          openFollowUps: c.openFollowUps,
          openDiscrepancies: c.openDiscrepancies,
        };
      },
    },
  };
}
