import { z } from 'zod';
import { AmountMinor, CountedQuantity, Currency, Id, IsoTime, Quantity, QuantityDelta } from './primitives';

/*
 * The operations a branch records and central applies. One schema, used by the
 * branch store before it writes anything and by the server before it applies a
 * pushed op, so both sides agree on what an operation is.
 *
 * Every op acts on the device's own warehouse: central takes the tenant and
 * warehouse from the device token, never from the payload.
 */

export const OpType = z.enum([
  'sale', 'return', 'reserve', 'release', 'fulfil', 'receive', 'adjust', 'count', 'transfer_out', 'transfer_in',
]);
export type OpType = z.infer<typeof OpType>;

const MAX_LINES = 500;

export const SaleLine = z.object({
  productId: Id,
  quantity: Quantity,
  /** Unit price in minor units of the sale currency, as shown to the customer. */
  unitPriceMinor: AmountMinor,
  /** VAT in basis points applied to this line. */
  taxRateBp: z.number().int().min(0).max(10_000),
});
export type SaleLine = z.infer<typeof SaleLine>;

export const Payment = z.object({
  method: z.enum(['cash', 'card']),
  currency: Currency,
  amountMinor: AmountMinor,
  /** Card: the terminal's authorization reference. Never a card number. */
  reference: z.string().trim().max(64).regex(/^(?!.*\d{12,}).*$/, 'must not contain a card number').optional(),
});
export type Payment = z.infer<typeof Payment>;

/** A manager's word that the goods are already in the customer's hand: the sale stands even without stock. */
export const StockOverride = z.object({
  managerId: z.string().min(1).max(64),
  reason: z.string().trim().min(1).max(200),
});

export const SalePayload = z.object({
  saleId: Id,
  /** Gap-free per device; assigned by the branch store when the sale commits. */
  receiptNo: z.number().int().min(1),
  currency: Currency,
  lines: z.array(SaleLine).min(1).max(MAX_LINES),
  payments: z.array(Payment).max(10),
  /** Exchange rate used for LBP amounts: LBP per 1 USD at the time of sale. */
  lbpPerUsd: z.number().int().min(1).max(10_000_000).optional(),
  override: StockOverride.optional(),
});
export type SalePayload = z.infer<typeof SalePayload>;

export const ReturnPayload = z.object({
  returnId: Id,
  /** The sale being returned to; absent for an ad hoc return. */
  saleId: Id.optional(),
  lines: z.array(z.object({ productId: Id, quantity: Quantity, refundMinor: AmountMinor })).min(1).max(MAX_LINES),
  reason: z.string().trim().max(200).optional(),
});
export type ReturnPayload = z.infer<typeof ReturnPayload>;

export const Customer = z.object({
  name: z.string().trim().min(1).max(120),
  phone: z.string().trim().regex(/^\+?[0-9 ()-]{6,24}$/, 'phone number'),
});
export type Customer = z.infer<typeof Customer>;

/** A customer order held for pickup or delivery: a request that central may refuse. All lines or none. */
export const ReservePayload = z.object({
  reservationId: Id,
  customer: Customer,
  lines: z.array(z.object({ productId: Id, quantity: Quantity })).min(1).max(MAX_LINES),
  expiresAt: IsoTime.optional(),
});
export type ReservePayload = z.infer<typeof ReservePayload>;

export const ReleasePayload = z.object({ reservationId: Id, reason: z.string().trim().max(200).optional() });
export type ReleasePayload = z.infer<typeof ReleasePayload>;

/** The customer collected: reserved stock becomes a sale. */
export const FulfilPayload = z.object({ reservationId: Id, saleId: Id });
export type FulfilPayload = z.infer<typeof FulfilPayload>;

export const ReceiveSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('adhoc'), supplier: z.string().trim().max(120).optional() }),
  z.object({ kind: z.literal('purchase_order'), purchaseOrderRef: z.string().trim().min(1).max(64) }),
]);
export type ReceiveSource = z.infer<typeof ReceiveSource>;

/** The lines of a delivery, as the till records them and as central applies them. */
export const ReceiveLines = z.array(z.object({
  productId: Id,
  /** What the purchase order said; absent for ad hoc deliveries. Short or over is noted against it. */
  expectedQuantity: CountedQuantity.optional(),
  receivedQuantity: CountedQuantity,
})).min(1).max(MAX_LINES).refine((ls) => ls.some((l) => l.receivedQuantity > 0), 'nothing received');

/** Goods in from a supplier. Receiving against a transfer is `transfer_in`. */
export const ReceivePayload = z.object({
  receiptId: Id,
  source: ReceiveSource,
  lines: ReceiveLines,
});
export type ReceivePayload = z.infer<typeof ReceivePayload>;

export const AdjustReason = z.enum(['damaged', 'expired', 'theft', 'found', 'correction']);
export type AdjustReason = z.infer<typeof AdjustReason>;

export const AdjustPayload = z.object({
  adjustmentId: Id,
  reason: AdjustReason,
  lines: z.array(z.object({ productId: Id, quantityDelta: QuantityDelta })).min(1).max(MAX_LINES),
  note: z.string().trim().max(200).optional(),
  approvedBy: z.string().min(1).max(64).optional(),
});
export type AdjustPayload = z.infer<typeof AdjustPayload>;

/** A stock count: the delta applied is counted minus what the branch expected when it counted. */
export const CountPayload = z.object({
  countId: Id,
  scope: z.string().trim().max(120).optional(),
  lines: z.array(z.object({ productId: Id, counted: CountedQuantity, expected: z.number().int().min(-10_000_000).max(10_000_000) })).min(1).max(5000),
  approvedBy: z.string().min(1).max(64).optional(),
});
export type CountPayload = z.infer<typeof CountPayload>;

export const TransferOutPayload = z.object({
  transferId: Id,
  toWarehouseId: Id,
  lines: z.array(z.object({ productId: Id, quantity: Quantity })).min(1).max(MAX_LINES),
  note: z.string().trim().max(200).optional(),
});
export type TransferOutPayload = z.infer<typeof TransferOutPayload>;

export const TransferInPayload = z.object({
  transferId: Id,
  fromWarehouseId: Id,
  /** What actually arrived; short or over is measured against what was dispatched. */
  lines: z.array(z.object({ productId: Id, quantity: CountedQuantity })).min(1).max(MAX_LINES),
});
export type TransferInPayload = z.infer<typeof TransferInPayload>;

export const OpPayloads = {
  sale: SalePayload,
  return: ReturnPayload,
  reserve: ReservePayload,
  release: ReleasePayload,
  fulfil: FulfilPayload,
  receive: ReceivePayload,
  adjust: AdjustPayload,
  count: CountPayload,
  transfer_out: TransferOutPayload,
  transfer_in: TransferInPayload,
} as const satisfies Record<OpType, z.ZodType>;

export type OpPayload<T extends OpType> = z.infer<(typeof OpPayloads)[T]>;

const envelope = {
  /** Made by the branch (UUIDv7); central applies each op id once. */
  opId: Id,
  /** Per-device sequence, from 1, without gaps. */
  seq: z.number().int().min(1),
  occurredAt: IsoTime,
  /** The signed-in user who did it. */
  actorId: z.string().min(1).max(64).optional(),
};

/** One queued operation, as it sits in the branch outbox and as it is pushed. */
export const Operation = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('sale'), payload: SalePayload }),
  z.object({ ...envelope, type: z.literal('return'), payload: ReturnPayload }),
  z.object({ ...envelope, type: z.literal('reserve'), payload: ReservePayload }),
  z.object({ ...envelope, type: z.literal('release'), payload: ReleasePayload }),
  z.object({ ...envelope, type: z.literal('fulfil'), payload: FulfilPayload }),
  z.object({ ...envelope, type: z.literal('receive'), payload: ReceivePayload }),
  z.object({ ...envelope, type: z.literal('adjust'), payload: AdjustPayload }),
  z.object({ ...envelope, type: z.literal('count'), payload: CountPayload }),
  z.object({ ...envelope, type: z.literal('transfer_out'), payload: TransferOutPayload }),
  z.object({ ...envelope, type: z.literal('transfer_in'), payload: TransferInPayload }),
]);
export type Operation = z.infer<typeof Operation>;

/** Movement types written to inventory_movements, on the branch and centrally. */
export const MovementType = z.enum([
  'opening', 'sale', 'return', 'reserve', 'release', 'fulfil', 'receive', 'adjust', 'count', 'transfer_out', 'transfer_in', 'sync_rebase',
]);
export type MovementType = z.infer<typeof MovementType>;

/**
 * Canonical JSON (keys sorted) so the same payload always hashes the same:
 * a reused op id is compared by this, on both sides.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
