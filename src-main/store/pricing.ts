import type { ReceiptLine } from '../../src-shared/branch-inputs';
import { DomainError } from '../../src-shared/errors';
import type { Payment } from '../../src-shared/operations';
import { MAX_AMOUNT_MINOR, TAX_RATE_BP, type Currency } from '../../src-shared/primitives';
import { requireProduct, type ProductRow, type StoreContext } from './context';

/*
 * Prices come from the catalog, never from the caller. Shelf prices include
 * VAT (as shown to the customer in Lebanon); the VAT in a line is
 * total * rate / (1 + rate), rounded per line.
 */

export interface PricedLine { product: ProductRow; line: ReceiptLine }
export interface PricedSale { currency: Currency; lines: PricedLine[]; netMinor: number; taxMinor: number; totalMinor: number }

/** `allowInactive`: a reservation made before the product was withdrawn can still be collected. */
export function priceLines(ctx: StoreContext, lines: ReadonlyArray<{ productId: string; quantity: number }>, allowInactive = false): PricedSale {
  let currency: Currency | undefined;
  let totalMinor = 0;
  let taxMinor = 0;
  const priced = lines.map((l) => {
    const product = requireProduct(ctx, l.productId);
    if (product.active !== 1 && !allowInactive) {
      throw new DomainError('invalid_state', `${product.sku} (${product.name_en}) is not for sale: it is inactive in the catalog`, { productId: product.id, sku: product.sku });
    }
    currency ??= product.currency;
    if (product.currency !== currency) {
      throw new DomainError('validation', `invalid sale: ${product.sku} is priced in ${product.currency}, the other lines in ${currency}`, { productId: product.id });
    }
    const lineTotalMinor = product.price_minor * l.quantity;
    totalMinor += lineTotalMinor;
    if (!Number.isSafeInteger(lineTotalMinor) || totalMinor > MAX_AMOUNT_MINOR) {
      throw new DomainError('validation', `invalid sale: the total is larger than any till can take (quantity ${l.quantity} of ${product.sku}?)`, { productId: product.id });
    }
    const taxRateBp = TAX_RATE_BP[product.tax_class];
    const lineTax = Math.round((lineTotalMinor * taxRateBp) / (10_000 + taxRateBp));
    taxMinor += lineTax;
    const line: ReceiptLine = {
      productId: product.id, sku: product.sku, nameEn: product.name_en, nameAr: product.name_ar, quantity: l.quantity,
      unitPriceMinor: product.price_minor, taxRateBp, lineTotalMinor, taxMinor: lineTax,
    };
    return { product, line };
  });
  // lines.min(1) is guaranteed by the input schema
  return { currency: currency ?? 'USD', lines: priced, netMinor: totalMinor - taxMinor, taxMinor, totalMinor };
}

/** A payment's value in the sale currency, rounded down (the shop never credits more than was handed over). */
function inSaleCurrency(p: Payment, currency: Currency, lbpPerUsd: number | undefined): number {
  if (p.currency === currency) return p.amountMinor;
  if (lbpPerUsd === undefined) {
    throw new DomainError('validation', `invalid payment: a ${p.currency} payment on a ${currency} sale needs the exchange rate (lbpPerUsd)`);
  }
  // USD minor = cents; LBP minor = pounds.
  return currency === 'USD' ? Math.floor((p.amountMinor * 100) / lbpPerUsd) : Math.floor((p.amountMinor * lbpPerUsd) / 100);
}

/** Payments must cover the total; returns what was paid and the change due, in the sale currency. */
export function settle(totalMinor: number, currency: Currency, payments: readonly Payment[], lbpPerUsd: number | undefined): { paidMinor: number; changeDueMinor: number } {
  let paidMinor = 0;
  for (const p of payments) paidMinor += inSaleCurrency(p, currency, lbpPerUsd);
  if (paidMinor < totalMinor) {
    throw new DomainError('validation', `invalid payment: ${paidMinor} paid of ${totalMinor} ${currency} due`, { paidMinor, totalMinor, currency });
  }
  if (paidMinor > MAX_AMOUNT_MINOR) throw new DomainError('validation', 'invalid payment: amount too large');
  return { paidMinor, changeDueMinor: paidMinor - totalMinor };
}
