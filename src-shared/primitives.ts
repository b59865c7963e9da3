import { z } from 'zod';

/** Largest quantity a single line may move; beyond it an entry is a typo (a barcode in the qty box), not stock. */
export const MAX_LINE_QUANTITY = 1_000_000;
/** Largest money amount in minor units (covers LBP totals of large orders). */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;

export const Id = z.uuid();
export type Id = z.infer<typeof Id>;

/** A positive whole number of units: zero, negative, fractional and huge quantities are refused. */
export const Quantity = z.number().int().min(1).max(MAX_LINE_QUANTITY);
/** A signed, non-zero change of units (adjustments). */
export const QuantityDelta = z.number().int().min(-MAX_LINE_QUANTITY).max(MAX_LINE_QUANTITY).refine((n) => n !== 0, 'must not be zero');
/** A counted shelf quantity: zero is a valid count. */
export const CountedQuantity = z.number().int().min(0).max(MAX_LINE_QUANTITY);

/** ISO 4217 codes the product knows; USD is the base currency, LBP the local cash currency. */
export const Currency = z.enum(['USD', 'LBP']);
export type Currency = z.infer<typeof Currency>;
/** Minor units per major unit (LBP is cashed in whole pounds). */
export const CURRENCY_MINOR_DIGITS: Record<Currency, number> = { USD: 2, LBP: 0 };

/** Money in minor units (cents for USD, pounds for LBP): integers, so totals never drift. */
export const AmountMinor = z.number().int().min(0).max(MAX_AMOUNT_MINOR);

export const IsoTime = z.iso.datetime({ offset: true });

export const Sku = z.string().trim().min(1).max(64);
export const Barcode = z.string().trim().regex(/^[0-9A-Za-z\-.]{4,64}$/, 'barcode: 4-64 letters, digits, - or .');
export const TaxClass = z.enum(['standard', 'reduced', 'zero', 'exempt']);
export type TaxClass = z.infer<typeof TaxClass>;
/** VAT rates in basis points by tax class (Lebanon's standard VAT is 11%). */
export const TAX_RATE_BP: Record<TaxClass, number> = { standard: 1100, reduced: 500, zero: 0, exempt: 0 };

/** Who did an operation: the signed-in user's id. */
export const ActorId = z.string().min(1).max(64);

export const Role = z.enum(['cashier', 'clerk', 'manager']);
export type Role = z.infer<typeof Role>;

export const WarehouseKind = z.enum(['store', 'warehouse']);
export type WarehouseKind = z.infer<typeof WarehouseKind>;

export const Product = z.object({
  id: Id,
  sku: Sku,
  barcodes: z.array(Barcode).max(20),
  nameEn: z.string().trim().min(1).max(200),
  nameAr: z.string().trim().max(200),
  priceMinor: AmountMinor,
  currency: Currency,
  taxClass: TaxClass,
  active: z.boolean(),
});
export type Product = z.infer<typeof Product>;
