import type { z } from 'zod';
import type {
  BranchOperationName, BranchOperations, BranchQueries, BranchQueryName, ProductLookupRow, SaleReceipt, TransferResult,
} from '../../src-shared/branch-inputs';
import type { ExpectedDelivery, FollowUpRow, OtherBranchStockRow, ReservationRow, WarehouseRow } from '../../src-shared/branch-api';
import type { SyncStatus } from '../../src-shared/sync';

/*
 * What the core needs from the branch store, named in the store's own contract
 * (src-shared/branch-inputs.ts). The core is written against this port so it
 * can be tested and hosted the same way whatever the store's object looks
 * like; `adapt-store.ts` maps the real store onto it.
 */
export type StoreOperations = {
  [N in BranchOperationName]: (input: z.infer<(typeof BranchOperations)[N]['input']>) => z.infer<(typeof BranchOperations)[N]['result']>;
};
export type StoreQueries = {
  [Q in BranchQueryName]: (params: z.infer<(typeof BranchQueries)[Q]['params']>) => z.infer<(typeof BranchQueries)[Q]['result']>;
};

export interface StoreExtras {
  deviceId: string;
  warehouseId: string;
  warehouseName(): string;
  lbpPerUsd(): number;
  /** Catalog facts and this branch's stock for products by id (for approval thresholds and count previews). */
  productsById(ids: readonly string[]): ProductLookupRow[];
  saleByReceiptNo(receiptNo: number): SaleReceipt | null;
  reservations(openOnly: boolean): ReservationRow[];
  followUps(): FollowUpRow[];
  expectedDeliveries(): ExpectedDelivery[];
  transfersInTransit(): TransferResult[];
  warehouses(): WarehouseRow[];
  /** The other warehouses' stock of a product, as of the last sync that carried it. */
  otherBranchesStock(productId: string): OtherBranchStockRow[];
  /** The store's part of the sync status (pending ops, open follow-ups and discrepancies, last sync). */
  syncCounters(): Pick<SyncStatus, 'pendingOps' | 'oldestPendingAgeMs' | 'lastSyncAt' | 'openFollowUps' | 'openDiscrepancies'>;
}

export interface StorePort {
  operations: StoreOperations;
  queries: StoreQueries;
  extras: StoreExtras;
}
