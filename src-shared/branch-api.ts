import { z } from 'zod';
import {
  AdjustInput, AdjustResult, CountInput, CountResult, DiscrepancyRow, FulfilInput, InventorySummary, LookupParams,
  LowStockParams, MovementHistoryParams, MovementRow, ProductLookupRow, ReceiveInput, ReceiveResult, ReleaseInput,
  ReleaseResult, ReservationResult, ReserveInput, ReturnResult, ReturnSaleInput, SaleReceipt, SearchProductsParams,
  SellInput, StockListParams, StockPage, StockRow, TransferInInput, TransferResult, TransferOutInput,
} from './branch-inputs';
import { ErrorBody } from './errors';
import { Customer } from './operations';
import { Currency, Id, IsoTime, Role } from './primitives';
import { SyncStatus } from './sync';

/*
 * The branch API: every call the screens can make to the branch core, by name,
 * with the zod schemas of its input and output, and the events the core pushes.
 * Electron main registers one IPC handler per entry by walking this map; the
 * local web host serves one `POST /api/<name>` per entry; the renderer's
 * transport is typed against it. One map, so the three cannot drift.
 *
 * The actor of every operation is the signed-in user: inputs here carry no
 * `actorId`, the core adds it. A manager's approval travels as the manager's
 * own id and PIN and is checked by the core, never trusted from the screen.
 */

export const UserId = z.string().trim().min(1).max(64);
/** 4 to 8 digits: what a till keypad takes. */
export const Pin = z.string().regex(/^[0-9]{4,8}$/, 'PIN: 4 to 8 digits');

export const UserSummary = z.object({ userId: UserId, name: z.string(), role: Role });
export type UserSummary = z.infer<typeof UserSummary>;

export const SessionState = z.object({
  user: UserSummary.nullable(),
  /** Signed in but idle too long: the PIN of the same user (or a manager) unlocks. */
  locked: z.boolean(),
  idleLockMs: z.number().int(),
});
export type SessionState = z.infer<typeof SessionState>;

/** A manager standing at the till, typing their own PIN. */
export const ManagerApproval = z.object({ managerId: UserId, pin: Pin });
export type ManagerApproval = z.infer<typeof ManagerApproval>;

export const TillInfo = z.object({
  deviceId: Id,
  warehouseId: Id,
  warehouseName: z.string(),
  baseCurrency: Currency,
  /** LBP per 1 USD: the tenant's rate, shown next to every USD amount and used for cash in LBP. */
  lbpPerUsd: z.number().int().min(1),
  /** Refunds above this (base-currency minor units, catalog value) need a manager's PIN. */
  returnApprovalAboveMinor: z.number().int().min(0),
  /** Adjustments or count corrections moving more units than this (in total) need a manager's approval. */
  adjustApprovalAboveUnits: z.number().int().min(0),
});
export type TillInfo = z.infer<typeof TillInfo>;

export const ReservationRow = ReservationResult;
export type ReservationRow = z.infer<typeof ReservationRow>;

/** A refused reservation to call the customer about. */
export const FollowUpRow = z.object({
  id: Id,
  reservationId: Id,
  customer: Customer,
  reason: z.string(),
  createdAt: IsoTime,
});
export type FollowUpRow = z.infer<typeof FollowUpRow>;

/** Goods this branch expects: transfers dispatched to it and open purchase orders central placed for it. */
export const ExpectedDelivery = z.object({
  kind: z.enum(['transfer', 'purchase_order']),
  /** transferId or the purchase order reference (what a receive names as purchaseOrderRef). */
  ref: z.string(),
  fromWarehouseId: Id.nullable(),
  /** The sending branch, or the supplier of a purchase order. */
  fromName: z.string().nullable(),
  since: IsoTime.nullable(),
  lines: z.array(z.object({
    productId: Id, sku: z.string(), nameEn: z.string(), nameAr: z.string(), expected: z.number().int(),
  })),
});
export type ExpectedDelivery = z.infer<typeof ExpectedDelivery>;

export const WarehouseRow = z.object({ warehouseId: Id, code: z.string(), name: z.string(), isThisBranch: z.boolean() });
export type WarehouseRow = z.infer<typeof WarehouseRow>;

/** Another branch's stock of one product, as central reported it at the last sync that carried it (`asOf`). */
export const OtherBranchStockRow = z.object({
  warehouseId: Id, name: z.string(), quantity: z.number().int(), reserved: z.number().int(), available: z.number().int(), asOf: IsoTime,
});
export type OtherBranchStockRow = z.infer<typeof OtherBranchStockRow>;

const Empty = z.object({}).strict();
const withoutActor = { actorId: true } as const;
const approval = { approval: ManagerApproval.optional() };

export const BranchApi = {
  // ------------------------------------------------------------ session
  listUsers: { input: Empty, output: z.array(UserSummary) },
  signIn: { input: z.object({ userId: UserId, pin: Pin }), output: SessionState },
  signOut: { input: Empty, output: SessionState },
  lock: { input: Empty, output: SessionState },
  whoAmI: { input: Empty, output: SessionState },
  tillInfo: { input: Empty, output: TillInfo },
  syncStatus: { input: Empty, output: SyncStatus },
  /** Push and pull now (a manager back online who does not want to wait for the timer); answers the status after the run. */
  syncNow: { input: Empty, output: SyncStatus },

  // ------------------------------------------------------------ lookups
  lookupProduct: { input: LookupParams, output: ProductLookupRow.nullable() },
  searchProducts: { input: SearchProductsParams, output: z.array(ProductLookupRow) },
  stockList: { input: StockListParams, output: StockPage },
  lowStock: { input: LowStockParams, output: z.array(StockRow) },
  movementHistory: { input: MovementHistoryParams, output: z.array(MovementRow) },
  inventorySummary: { input: Empty, output: InventorySummary },
  openDiscrepancies: { input: z.object({ limit: z.number().int().min(1).max(1000).default(100) }), output: z.array(DiscrepancyRow) },
  saleByReceiptNo: { input: z.object({ receiptNo: z.number().int().min(1) }), output: SaleReceipt.nullable() },
  reservations: { input: z.object({ openOnly: z.boolean().default(true) }), output: z.array(ReservationRow) },
  followUps: { input: Empty, output: z.array(FollowUpRow) },
  expectedDeliveries: { input: Empty, output: z.array(ExpectedDelivery) },
  transfersInTransit: { input: Empty, output: z.array(TransferResult) },
  warehouses: { input: Empty, output: z.array(WarehouseRow) },
  otherBranchesStock: { input: z.object({ productId: Id }), output: z.array(OtherBranchStockRow) },

  // ------------------------------------------------------------ operations
  sell: {
    input: SellInput.omit({ ...withoutActor, override: true }).extend({
      ...approval,
      /** With `approval`: the goods are already in the customer's hand, sell even without stock. */
      overrideReason: z.string().trim().min(1).max(200).optional(),
    }),
    output: SaleReceipt,
  },
  returnSale: { input: ReturnSaleInput.omit(withoutActor).extend(approval), output: ReturnResult },
  reserve: { input: ReserveInput.omit(withoutActor), output: ReservationResult },
  release: { input: ReleaseInput.omit(withoutActor), output: ReleaseResult },
  fulfil: { input: FulfilInput.omit(withoutActor), output: SaleReceipt },
  receive: { input: ReceiveInput.omit(withoutActor), output: ReceiveResult },
  adjust: { input: AdjustInput.omit({ ...withoutActor, approvedBy: true }).extend(approval), output: AdjustResult },
  count: { input: CountInput.omit({ ...withoutActor, approvedBy: true }).extend(approval), output: CountResult },
  transferOut: { input: TransferOutInput.omit(withoutActor), output: TransferResult },
  transferIn: { input: TransferInInput.omit(withoutActor), output: TransferResult },
} as const;

export type BranchMethod = keyof typeof BranchApi;
export type BranchInput<M extends BranchMethod> = z.input<(typeof BranchApi)[M]['input']>;
export type BranchParsedInput<M extends BranchMethod> = z.infer<(typeof BranchApi)[M]['input']>;
export type BranchOutput<M extends BranchMethod> = z.infer<(typeof BranchApi)[M]['output']>;
export const BRANCH_METHODS = Object.keys(BranchApi) as BranchMethod[];

export function isBranchMethod(name: string): name is BranchMethod {
  return Object.prototype.hasOwnProperty.call(BranchApi, name);
}

/** What crosses every boundary (IPC, HTTP): a value or a typed refusal, never a thrown error. */
export type BranchResult<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };
export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: ErrorBody })]);
}

export const StockChanged = z.object({ productIds: z.array(Id) });
export type StockChanged = z.infer<typeof StockChanged>;

export const BranchEvents = {
  syncStatus: SyncStatus,
  stockChanged: StockChanged,
  session: SessionState,
} as const;
export type BranchEventName = keyof typeof BranchEvents;
export type BranchEvent<E extends BranchEventName> = z.infer<(typeof BranchEvents)[E]>;
export const BRANCH_EVENTS = Object.keys(BranchEvents) as BranchEventName[];

export function isBranchEvent(name: string): name is BranchEventName {
  return Object.prototype.hasOwnProperty.call(BranchEvents, name);
}

/** What the preload exposes as `window.branch`, and what the web transport mimics. */
export interface BranchBridge {
  invoke<M extends BranchMethod>(method: M, input: BranchInput<M>): Promise<BranchResult<BranchOutput<M>>>;
  /** Returns the unsubscribe function. */
  on<E extends BranchEventName>(event: E, listener: (payload: BranchEvent<E>) => void): () => void;
}

/** IPC channel of a method (one `ipcMain.handle` per method) and of an event. */
export const ipcChannel = (method: BranchMethod) => `branch:${method}`;
export const ipcEventChannel = (event: BranchEventName) => `branch:event:${event}`;
