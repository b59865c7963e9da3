import type { BranchStore } from '../store/index';
import type { TillSettingsStore } from '../users/till-settings';
import type { StoreReads } from './store-reads';
import type { StorePort } from './store-port';

/** Maps the branch store (issue 2), the till's read views and its settings onto the port the core is written against. */
export function adaptStore(store: BranchStore, reads: StoreReads, settings: TillSettingsStore): StorePort {
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
      warehouseName: () => reads.warehouseName(),
      lbpPerUsd: () => settings.get().lbpPerUsd,
      productsById: (ids) => reads.productsById(ids),
      saleByReceiptNo: (n) => reads.saleByReceiptNo(n),
      reservations: (openOnly) => reads.reservations(openOnly),
      // Refused reservations reach the branch by sync (issue 4); the store has no table for them yet, so there are none to list.
      followUps: () => [],
      expectedDeliveries: () => reads.expectedDeliveries(),
      transfersInTransit: () => reads.transfersInTransit(),
      warehouses: () => reads.warehouses(),
      syncCounters() {
        const oldest = store.pendingOps(1)[0];
        return {
          pendingOps: store.outboxCounts().pending,
          oldestPendingAgeMs: oldest ? Math.max(0, Date.now() - Date.parse(oldest.occurredAt)) : null,
          lastSyncAt: null,
          openFollowUps: 0,
          openDiscrepancies: store.openDiscrepancies({ limit: 1000 }).length,
        };
      },
    },
  };
}
