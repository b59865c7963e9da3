import { z } from 'zod';
import { ErrorBody } from './errors';
import { Operation } from './operations';
import { Customer } from './operations';
import { Id, IsoTime, Product, Role, WarehouseKind } from './primitives';

/*
 * The sync protocol between a branch device and central (docs/protocol.md).
 * Push: ops in seq order; central applies each exactly once and stores its result.
 * Pull: what changed since the device's cursor, plus the device's last applied
 * seq read in the same snapshot, so the branch can rebase its pending ops.
 */

export const MAX_PUSH_BATCH = 500;

export const PushRequest = z.object({
  ops: z.array(Operation).min(1).max(MAX_PUSH_BATCH),
});
export type PushRequest = z.infer<typeof PushRequest>;

/** applied: effects written. refused: a permanent business refusal, recorded; the seq still advanced. */
export const OpStatus = z.enum(['applied', 'refused']);
export type OpStatus = z.infer<typeof OpStatus>;

export const OpResult = z.object({
  opId: Id,
  seq: z.number().int().min(1),
  status: OpStatus,
  /** Type-specific facts central wants the branch to know (e.g. discrepancy ids). */
  result: z.record(z.string(), z.unknown()).optional(),
  error: ErrorBody.optional(),
});
export type OpResult = z.infer<typeof OpResult>;

export const PushResponse = z.object({
  results: z.array(OpResult),
  lastAppliedSeq: z.number().int().min(0),
});
export type PushResponse = z.infer<typeof PushResponse>;

/** 409 body details on a gap: the seq central expects next. */
export const SequenceGapDetails = z.object({ expectedSeq: z.number().int().min(1) });

export const Warehouse = z.object({
  id: Id,
  code: z.string().min(1).max(32),
  name: z.string().min(1).max(120),
  kind: WarehouseKind,
  timezone: z.string().min(1).max(64),
});
export type Warehouse = z.infer<typeof Warehouse>;

export const ExchangeRate = z.object({
  currency: z.literal('LBP'),
  perUsd: z.number().int().min(1),
  effectiveAt: IsoTime,
});
export type ExchangeRate = z.infer<typeof ExchangeRate>;

export const LevelSnapshot = z.object({
  warehouseId: Id,
  productId: Id,
  quantity: z.number().int(),
  reserved: z.number().int().min(0),
  updatedAt: IsoTime,
});
export type LevelSnapshot = z.infer<typeof LevelSnapshot>;

export const TransferStatus = z.enum(['in_transit', 'partially_received', 'received']);
export type TransferStatus = z.infer<typeof TransferStatus>;

export const TransferView = z.object({
  transferId: Id,
  fromWarehouseId: Id,
  toWarehouseId: Id,
  status: TransferStatus,
  dispatchedAt: IsoTime,
  lines: z.array(z.object({ productId: Id, dispatched: z.number().int().min(0), received: z.number().int().min(0) })),
});
export type TransferView = z.infer<typeof TransferView>;

export const ReservationStatus = z.enum(['pending', 'held', 'refused', 'released', 'fulfilled']);
export type ReservationStatus = z.infer<typeof ReservationStatus>;

export const ReservationOutcome = z.object({
  reservationId: Id,
  status: ReservationStatus,
  reason: z.string().optional(),
});
export type ReservationOutcome = z.infer<typeof ReservationOutcome>;

export const DiscrepancyKind = z.enum(['negative_stock', 'short_receipt', 'over_receipt']);
export const Discrepancy = z.object({
  id: Id,
  warehouseId: Id,
  productId: Id,
  kind: DiscrepancyKind,
  quantity: z.number().int(),
  referenceId: Id.optional(),
  createdAt: IsoTime,
  resolvedAt: IsoTime.nullable(),
});
export type Discrepancy = z.infer<typeof Discrepancy>;

export const FollowUp = z.object({
  id: Id,
  warehouseId: Id,
  reservationId: Id,
  customer: Customer,
  reason: z.string(),
  createdAt: IsoTime,
  closedAt: IsoTime.nullable(),
});
export type FollowUp = z.infer<typeof FollowUp>;

export const PurchaseOrderStatus = z.enum(['open', 'received', 'cancelled']);
export type PurchaseOrderStatus = z.infer<typeof PurchaseOrderStatus>;

/** A supplier order central placed for one warehouse; the till receives it by its ref. */
export const PurchaseOrderView = z.object({
  purchaseOrderId: Id,
  ref: z.string().min(1).max(64),
  warehouseId: Id,
  supplier: z.string(),
  status: PurchaseOrderStatus,
  expectedAt: IsoTime.nullable(),
  createdAt: IsoTime,
  lines: z.array(z.object({ productId: Id, ordered: z.number().int().min(1) })),
});
export type PurchaseOrderView = z.infer<typeof PurchaseOrderView>;

export const PullQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
});

/**
 * A branch user as central keeps them: the till signs them in offline with the
 * same scrypt hash (`scrypt$N$r$p$salt$key`), so the PIN itself never travels.
 */
export const PullUser = z.object({
  id: Id,
  /** What the till shows and records as the actor of an operation. */
  username: z.string().min(1).max(64),
  name: z.string(),
  role: Role,
  pinHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/),
  active: z.boolean(),
});
export type PullUser = z.infer<typeof PullUser>;

export const PullResponse = z.object({
  cursor: z.string(),
  hasMore: z.boolean(),
  serverTime: IsoTime,
  /** The device's last applied seq, read in the same snapshot as `levels`: ops above it are not yet in them. */
  lastAppliedSeq: z.number().int().min(0),
  warehouses: z.array(Warehouse),
  products: z.array(Product),
  exchangeRates: z.array(ExchangeRate),
  levels: z.array(LevelSnapshot),
  transfers: z.array(TransferView),
  reservations: z.array(ReservationOutcome),
  discrepancies: z.array(Discrepancy),
  followUps: z.array(FollowUp),
  /**
   * Every user who may work at the device's warehouse (active or not), sent
   * whole on the last page of a pull: a handful of rows, and a deactivated
   * user must stop signing in at the next sync. Absent from older servers.
   */
  users: z.array(PullUser).optional(),
  /**
   * Purchase orders of the device's warehouse whose status changed (open ones
   * to receive, received or cancelled ones to drop). Absent from older servers.
   */
  purchaseOrders: z.array(PurchaseOrderView).optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

export const EnrollRequest = z.object({
  code: z.string().trim().min(6).max(64),
  deviceName: z.string().trim().min(1).max(120),
});
export const EnrollResponse = z.object({
  deviceId: Id,
  token: z.string().min(32),
  tenantId: Id,
  warehouseId: Id,
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

/**
 * What the branch's sync engine publishes for the screens (event `syncStatus`).
 * online: the last request reached central; offline: it did not; syncing: a
 * push or pull is under way.
 */
export const SyncState = z.enum(['online', 'offline', 'syncing', 'not_enrolled']);
export type SyncState = z.infer<typeof SyncState>;

export const SyncStatus = z.object({
  state: SyncState,
  pendingOps: z.number().int().min(0),
  /** Age of the oldest op not yet applied centrally, in ms; null when none is pending. */
  oldestPendingAgeMs: z.number().int().min(0).nullable(),
  lastSyncAt: IsoTime.nullable(),
  /** Reservations central refused, waiting for someone to call the customer. */
  openFollowUps: z.number().int().min(0),
  openDiscrepancies: z.number().int().min(0),
  /** While a backlog drains: ops pushed of the backlog seen when draining began. */
  progress: z.object({ done: z.number().int().min(0), total: z.number().int().min(0) }).nullable(),
  lastError: ErrorBody.nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;
