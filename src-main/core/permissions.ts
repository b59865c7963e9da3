import type { BranchMethod } from '../../src-shared/branch-api';
import type { Role } from '../../src-shared/primitives';

/*
 * Who may call what. `open` methods work before sign-in (the sign-in screen and
 * the status bar need them). Thresholds inside a method (a large refund, a large
 * adjustment, selling without stock) are checked by the handler, which asks
 * for a manager's PIN; this table is only the coarse gate.
 */
const ALL: readonly Role[] = ['cashier', 'clerk', 'manager'];
const TILL: readonly Role[] = ['cashier', 'manager'];
const STOCKROOM: readonly Role[] = ['clerk', 'manager'];

export const PERMISSIONS: Record<BranchMethod, 'open' | readonly Role[]> = {
  listUsers: 'open',
  signIn: 'open',
  signOut: 'open',
  lock: 'open',
  whoAmI: 'open',
  tillInfo: 'open',
  syncStatus: 'open',
  syncNow: ALL,

  lookupProduct: ALL,
  searchProducts: ALL,
  stockList: ALL,
  lowStock: ALL,
  movementHistory: ALL,
  inventorySummary: ALL,
  openDiscrepancies: ALL,
  saleByReceiptNo: TILL,
  reservations: TILL,
  followUps: TILL,
  expectedDeliveries: STOCKROOM,
  transfersInTransit: STOCKROOM,
  warehouses: ALL,
  otherBranchesStock: ALL,

  sell: TILL,
  returnSale: TILL,
  reserve: TILL,
  release: TILL,
  fulfil: TILL,
  receive: STOCKROOM,
  adjust: STOCKROOM,
  count: STOCKROOM,
  transferOut: STOCKROOM,
  transferIn: STOCKROOM,
};
