import { z } from 'zod';
import { Customer, Payment, StockOverride } from './operations';
import { ActorId, AmountMinor, Currency, Id, IsoTime, TaxClass } from './primitives';
import { DiscrepancyKind, ReservationStatus, TransferStatus } from './sync';

/* What the branch store answers: receipts and results of its operations, and the rows its queries return. */

export const ReceiptLine = z.object({
  productId: Id,
  sku: z.string(),
  nameEn: z.string(),
  nameAr: z.string(),
  quantity: z.number().int(),
  unitPriceMinor: AmountMinor,
  taxRateBp: z.number().int(),
  /** Tax-inclusive: unitPriceMinor * quantity. */
  lineTotalMinor: AmountMinor,
  /** The VAT contained in lineTotalMinor. */
  taxMinor: AmountMinor,
});
export type ReceiptLine = z.infer<typeof ReceiptLine>;

/** What the till prints. Prices are tax-inclusive shelf prices; all amounts in the sale currency unless named. */
export const SaleReceipt = z.object({
  saleId: Id,
  receiptNo: z.number().int().min(1),
  deviceId: Id,
  occurredAt: IsoTime,
  actorId: ActorId,
  currency: Currency,
  lines: z.array(ReceiptLine),
  /** Total without VAT. */
  netMinor: AmountMinor,
  taxMinor: AmountMinor,
  totalMinor: AmountMinor,
  payments: z.array(Payment),
  /** Payments converted to the sale currency. */
  paidMinor: AmountMinor,
  changeDueMinor: AmountMinor,
  lbpPerUsd: z.number().int().optional(),
  reservationId: Id.optional(),
  override: StockOverride.optional(),
  /** Negative-stock discrepancies raised by an override. */
  discrepancyIds: z.array(Id),
});
export type SaleReceipt = z.infer<typeof SaleReceipt>;

export const ReturnResult = z.object({
  returnId: Id,
  saleId: Id.optional(),
  occurredAt: IsoTime,
  currency: Currency,
  lines: z.array(z.object({ productId: Id, sku: z.string(), nameEn: z.string(), nameAr: z.string(), quantity: z.number().int(), refundMinor: AmountMinor })),
  totalRefundMinor: AmountMinor,
});
export type ReturnResult = z.infer<typeof ReturnResult>;

export const ReservationResult = z.object({
  reservationId: Id,
  status: ReservationStatus,
  customer: Customer,
  lines: z.array(z.object({ productId: Id, sku: z.string(), nameEn: z.string(), nameAr: z.string(), quantity: z.number().int() })),
  expiresAt: IsoTime.optional(),
  occurredAt: IsoTime,
});
export type ReservationResult = z.infer<typeof ReservationResult>;

export const ReleaseResult = z.object({ reservationId: Id, status: z.literal('released'), occurredAt: IsoTime });
export type ReleaseResult = z.infer<typeof ReleaseResult>;

export const ReceiveResult = z.object({
  receiptId: Id,
  occurredAt: IsoTime,
  lines: z.array(z.object({
    productId: Id,
    expectedQuantity: z.number().int().optional(),
    receivedQuantity: z.number().int(),
    /** received - expected when an expectation was given and differs. */
    difference: z.number().int(),
  })),
  discrepancyIds: z.array(Id),
});
export type ReceiveResult = z.infer<typeof ReceiveResult>;

export const AdjustResult = z.object({
  adjustmentId: Id,
  occurredAt: IsoTime,
  lines: z.array(z.object({ productId: Id, quantityDelta: z.number().int(), quantityAfter: z.number().int() })),
});
export type AdjustResult = z.infer<typeof AdjustResult>;

export const CountResult = z.object({
  countId: Id,
  occurredAt: IsoTime,
  lines: z.array(z.object({ productId: Id, expected: z.number().int(), counted: z.number().int(), delta: z.number().int() })),
  discrepancyIds: z.array(Id),
});
export type CountResult = z.infer<typeof CountResult>;

export const TransferDirection = z.enum(['out', 'in']);
export type TransferDirection = z.infer<typeof TransferDirection>;

export const TransferResult = z.object({
  transferId: Id,
  direction: TransferDirection,
  fromWarehouseId: Id,
  toWarehouseId: Id,
  status: TransferStatus,
  occurredAt: IsoTime,
  lines: z.array(z.object({ productId: Id, dispatched: z.number().int().nullable(), received: z.number().int().nullable() })),
  discrepancyIds: z.array(Id),
});
export type TransferResult = z.infer<typeof TransferResult>;

/** One row of the branch's stock. available = quantity - reserved. */
export const StockRow = z.object({
  productId: Id,
  sku: z.string(),
  nameEn: z.string(),
  nameAr: z.string(),
  quantity: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  /** Units dispatched to this branch by others, not yet received. */
  inTransitIn: z.number().int(),
  /** Units this branch dispatched, not yet confirmed received. */
  inTransitOut: z.number().int(),
  reorderLevel: z.number().int(),
});
export type StockRow = z.infer<typeof StockRow>;

export const StockPage = z.object({ rows: z.array(StockRow), nextAfterSku: z.string().nullable() });
export type StockPage = z.infer<typeof StockPage>;

export const MovementRow = z.object({
  id: Id,
  movementType: z.string(),
  quantityDelta: z.number().int(),
  reservedDelta: z.number().int(),
  referenceId: Id.nullable(),
  opId: Id.nullable(),
  createdAt: IsoTime,
});
export type MovementRow = z.infer<typeof MovementRow>;

/** A product as the till sees it after a scan or a search: catalog facts and this branch's stock. */
export const ProductLookupRow = z.object({
  productId: Id,
  sku: z.string(),
  nameEn: z.string(),
  nameAr: z.string(),
  priceMinor: AmountMinor,
  currency: Currency,
  taxClass: TaxClass,
  taxRateBp: z.number().int(),
  active: z.boolean(),
  quantity: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
});
export type ProductLookupRow = z.infer<typeof ProductLookupRow>;

export const InventorySummary = z.object({
  warehouseId: Id,
  products: z.number().int(),
  totalQuantity: z.number().int(),
  totalReserved: z.number().int(),
  totalAvailable: z.number().int(),
  lowStock: z.number().int(),
  outOfStock: z.number().int(),
  /** Products whose quantity is below zero (overrides, counts). */
  negative: z.number().int(),
  inTransitIn: z.number().int(),
  inTransitOut: z.number().int(),
  /** Stock value at shelf price, by catalog currency. */
  valueMinor: z.object({ USD: z.number().int(), LBP: z.number().int() }),
  pendingOps: z.number().int(),
  openDiscrepancies: z.number().int(),
});
export type InventorySummary = z.infer<typeof InventorySummary>;

export const ConsistencyMismatch = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('level_fold'),
    warehouseId: Id, productId: Id,
    quantity: z.number().int(), reserved: z.number().int(),
    foldedQuantity: z.number().int(), foldedReserved: z.number().int(),
  }),
  /** Movements for a (warehouse, product) that has no level row. */
  z.object({ kind: z.literal('level_missing'), warehouseId: Id, productId: Id, foldedQuantity: z.number().int(), foldedReserved: z.number().int() }),
  /** A domain record (sale, return, ...) whose op is not in the outbox. */
  z.object({ kind: z.literal('missing_outbox'), record: z.string(), id: Id, opId: Id }),
  /** A sale whose lines or payments are missing or do not add up. */
  z.object({ kind: z.literal('partial_sale'), saleId: Id, detail: z.string() }),
  /** The outbox seq numbers of this device are not 1..n. */
  z.object({ kind: z.literal('seq_gap'), expected: z.number().int(), found: z.number().int() }),
  /** Receipt numbers of this device are not 1..n. */
  z.object({ kind: z.literal('receipt_gap'), expected: z.number().int(), found: z.number().int() }),
]);
export type ConsistencyMismatch = z.infer<typeof ConsistencyMismatch>;

export const ConsistencyReport = z.object({
  ok: z.boolean(),
  checkedLevels: z.number().int(),
  checkedRecords: z.number().int(),
  mismatches: z.array(ConsistencyMismatch),
});
export type ConsistencyReport = z.infer<typeof ConsistencyReport>;

export const DiscrepancyRow = z.object({
  id: Id,
  productId: Id,
  kind: DiscrepancyKind,
  quantity: z.number().int(),
  referenceId: Id.nullable(),
  createdAt: IsoTime,
});
export type DiscrepancyRow = z.infer<typeof DiscrepancyRow>;

