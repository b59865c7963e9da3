import type { z } from 'zod';
import type { BranchOperationName, BranchOperations, BranchQueries, BranchQueryName } from '../../src-shared/branch-inputs';
import type { FollowUpRow } from '../../src-shared/branch-api';
import type { SyncStatus } from '../../src-shared/sync';
import type { StoreViews } from '../store/views';

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

/** The store's read views (src-main/store/views.ts) and what the till adds to them. */
export interface StoreExtras extends StoreViews {
  deviceId: string;
  warehouseId: string;
  lbpPerUsd(): number;
  followUps(): FollowUpRow[];
  /** The store's part of the sync status (pending ops, open follow-ups and discrepancies, last sync). */
  syncCounters(): Pick<SyncStatus, 'pendingOps' | 'oldestPendingAgeMs' | 'lastSyncAt' | 'openFollowUps' | 'openDiscrepancies'>;
}

export interface StorePort {
  operations: StoreOperations;
  queries: StoreQueries;
  extras: StoreExtras;
}
