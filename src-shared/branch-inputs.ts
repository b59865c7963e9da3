import { z } from 'zod';
import { AdjustReason, Customer, Payment, ReceiveLines, ReceiveSource, StockOverride } from './operations';
import { ActorId, CountedQuantity, Id, IsoTime, Product, Quantity, QuantityDelta } from './primitives';
import {
  AdjustResult, CountResult, DiscrepancyRow, InventorySummary, MovementRow, ProductLookupRow, ReceiveResult,
  ReleaseResult, ReservationResult, ReturnResult, SaleReceipt, StockPage, StockRow, TransferResult,
} from './branch-results';

// Results live beside the inputs' file; importers keep one path for the store's contract.
export * from './branch-results';

/*
 * The branch store's contract with its callers (IPC from the screens, the web
 * host, tests): what each operation takes as INPUT (its RESULT and the query rows are in branch-results.ts),
 * and the shapes of the queries. The caller sends only what a person decided
 * (which products, how many, how paid); the store derives prices and tax from
 * its catalog, makes the domain ids, the receipt number and the per-device seq,
 * and builds the operation queued for central (src-shared/operations.ts).
 *
 * Every input carries `opId`, made by the client (UUIDv7) once per user action:
 * sending the same opId again returns the first result; the same opId with a
 * different input is refused with `op_conflict`. `actorId` is the signed-in user.
 */

const MAX_LINES = 500;
const envelope = { opId: Id, actorId: ActorId };
const Note = z.string().trim().max(200);
/** LBP per 1 USD, needed when a payment's currency differs from the sale's. */
const LbpPerUsd = z.number().int().min(1).max(10_000_000);
const ProductQuantity = z.object({ productId: Id, quantity: Quantity });

// ---------------------------------------------------------------- inputs

/** A till sale. Payments must cover the total (converted at `lbpPerUsd` when currencies differ). */
export const SellInput = z.object({
  ...envelope,
  lines: z.array(ProductQuantity).min(1).max(MAX_LINES),
  payments: z.array(Payment).min(1).max(10),
  lbpPerUsd: LbpPerUsd.optional(),
  /** A manager's word that the goods are already in the customer's hand: recorded even without stock. */
  override: StockOverride.optional(),
});
export type SellInput = z.infer<typeof SellInput>;

/** A return, to a sale (refund at the price sold, at most what was sold minus already returned) or ad hoc (catalog price). */
export const ReturnSaleInput = z.object({
  ...envelope,
  saleId: Id.optional(),
  lines: z.array(ProductQuantity).min(1).max(MAX_LINES),
  reason: Note.optional(),
});
export type ReturnSaleInput = z.infer<typeof ReturnSaleInput>;

/** A customer order held for pickup or delivery: all lines or none; moves stock to `reserved`. */
export const ReserveInput = z.object({
  ...envelope,
  customer: Customer,
  lines: z.array(ProductQuantity).min(1).max(MAX_LINES),
  expiresAt: IsoTime.optional(),
});
export type ReserveInput = z.infer<typeof ReserveInput>;

export const ReleaseInput = z.object({ ...envelope, reservationId: Id, reason: Note.optional() });
export type ReleaseInput = z.infer<typeof ReleaseInput>;

/** The customer collected: the reserved stock becomes a sale with its own receipt. */
export const FulfilInput = z.object({
  ...envelope,
  reservationId: Id,
  payments: z.array(Payment).min(1).max(10),
  lbpPerUsd: LbpPerUsd.optional(),
});
export type FulfilInput = z.infer<typeof FulfilInput>;

/** Goods in from a supplier, ad hoc or against a purchase order (expected vs received; short and over are noted). */
export const ReceiveInput = z.object({
  ...envelope,
  source: ReceiveSource,
  lines: ReceiveLines,
});
export type ReceiveInput = z.infer<typeof ReceiveInput>;

/** A correction with a reason code; a negative delta cannot take more than is available. */
export const AdjustInput = z.object({
  ...envelope,
  reason: AdjustReason,
  lines: z.array(z.object({ productId: Id, quantityDelta: QuantityDelta })).min(1).max(MAX_LINES),
  note: Note.optional(),
  approvedBy: ActorId.optional(),
});
export type AdjustInput = z.infer<typeof AdjustInput>;

/** A stock count: the store reads what it expected at that moment; counted - expected is applied. */
export const CountInput = z.object({
  ...envelope,
  scope: z.string().trim().max(120).optional(),
  lines: z.array(z.object({ productId: Id, counted: CountedQuantity })).min(1).max(5000),
  /** The manager who approved a count correcting many units (the core checks the approval and fills this in). */
  approvedBy: ActorId.optional(),
});
export type CountInput = z.infer<typeof CountInput>;

export const TransferOutInput = z.object({
  ...envelope,
  toWarehouseId: Id,
  lines: z.array(ProductQuantity).min(1).max(MAX_LINES),
  note: Note.optional(),
});
export type TransferOutInput = z.infer<typeof TransferOutInput>;

/**
 * Stock arriving from another warehouse. Against a transfer the store knows
 * (from central), lines are compared with what was dispatched and short/over
 * noted; for a transfer it does not know yet, `fromWarehouseId` is required.
 */
export const TransferInInput = z.object({
  ...envelope,
  transferId: Id,
  fromWarehouseId: Id.optional(),
  lines: z.array(z.object({ productId: Id, quantity: CountedQuantity })).min(1).max(MAX_LINES),
});
export type TransferInInput = z.infer<typeof TransferInInput>;

// ---------------------------------------------------------------- query params

const Limit = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt);
const SearchText = z.string().trim().min(1).max(100);

/** Stock of this branch, ordered by SKU; page with `afterSku` = the last row's sku. */
export const StockListParams = z.object({
  limit: Limit(500, 50),
  afterSku: z.string().max(64).optional(),
  /** SKU or name (English or Arabic) prefix. */
  search: SearchText.optional(),
  includeInactive: z.boolean().default(false),
});
export type StockListParams = z.input<typeof StockListParams>;

export const LowStockParams = z.object({ limit: Limit(1000, 100) });
export type LowStockParams = z.input<typeof LowStockParams>;

/** Newest first; page with `beforeId` = the last row's id. */
export const MovementHistoryParams = z.object({
  productId: Id,
  limit: Limit(500, 50),
  beforeId: Id.optional(),
});
export type MovementHistoryParams = z.input<typeof MovementHistoryParams>;

/** What the scanner or the cashier typed: a barcode or a SKU. */
export const LookupParams = z.object({ code: z.string().trim().min(1).max(64) });
export type LookupParams = z.input<typeof LookupParams>;

/** Name prefix, English or Arabic; case, Arabic diacritics and letter variants are ignored. */
export const SearchProductsParams = z.object({ prefix: SearchText, limit: Limit(100, 20) });
export type SearchProductsParams = z.input<typeof SearchProductsParams>;

/** A catalog entry as the store loads it (from sync pulls, tests and benchmarks). */
export const CatalogProduct = Product.extend({
  /** At or below this available quantity the product is "low". */
  reorderLevel: CountedQuantity.default(0),
});
export type CatalogProduct = z.input<typeof CatalogProduct>;

/** Opening stock for a product (first load of a branch): written as an `opening` movement so the fold holds. */
export const OpeningStock = z.object({ productId: Id, quantity: CountedQuantity });
export type OpeningStock = z.infer<typeof OpeningStock>;

/**
 * The store's operations by name: input and result schemas, for a typed IPC
 * handler map shared by the main process and the screens.
 */
export const BranchOperations = {
  sell: { input: SellInput, result: SaleReceipt },
  returnSale: { input: ReturnSaleInput, result: ReturnResult },
  reserve: { input: ReserveInput, result: ReservationResult },
  release: { input: ReleaseInput, result: ReleaseResult },
  fulfil: { input: FulfilInput, result: SaleReceipt },
  receive: { input: ReceiveInput, result: ReceiveResult },
  adjust: { input: AdjustInput, result: AdjustResult },
  count: { input: CountInput, result: CountResult },
  transferOut: { input: TransferOutInput, result: TransferResult },
  transferIn: { input: TransferInInput, result: TransferResult },
} as const;
export type BranchOperationName = keyof typeof BranchOperations;
export type BranchOperationInput<N extends BranchOperationName> = z.input<(typeof BranchOperations)[N]['input']>;
export type BranchOperationResult<N extends BranchOperationName> = z.infer<(typeof BranchOperations)[N]['result']>;

/** The store's read-only queries by name: params and result schemas. */
export const BranchQueries = {
  stockList: { params: StockListParams, result: StockPage },
  lowStock: { params: LowStockParams, result: z.array(StockRow) },
  movementHistory: { params: MovementHistoryParams, result: z.array(MovementRow) },
  lookup: { params: LookupParams, result: ProductLookupRow.nullable() },
  searchProducts: { params: SearchProductsParams, result: z.array(ProductLookupRow) },
  inventorySummary: { params: z.object({}), result: InventorySummary },
  openDiscrepancies: { params: z.object({ limit: Limit(1000, 100) }), result: z.array(DiscrepancyRow) },
} as const;
export type BranchQueryName = keyof typeof BranchQueries;
export type BranchQueryParams<N extends BranchQueryName> = z.input<(typeof BranchQueries)[N]['params']>;
export type BranchQueryResult<N extends BranchQueryName> = z.infer<(typeof BranchQueries)[N]['result']>;
