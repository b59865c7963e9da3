import type { Payment } from '../../../src-shared/operations';
import type { Currency } from '../../../src-shared/primitives';
import { lbpToUsdMinor, usdToLbp } from '../../i18n/format';

export type Method = 'cash' | 'card';

/** What the cashier has entered: the tendered amount in the chosen currency's minor units. */
export interface Tender { method: Method; currency: Currency; amountMinor: number; reference: string }

/** The default tender: exactly the total, in the chosen currency (LBP rounded up to a whole pound). */
export function exactAmount(totalUsdMinor: number, currency: Currency, lbpPerUsd: number): number {
  // The store converts LBP down to whole cents: round up so the exact tender still covers the total.
  return currency === 'USD' ? totalUsdMinor : Math.ceil((totalUsdMinor * lbpPerUsd) / 100);
}

/** Change due in USD cents (what the store will compute) and its LBP equivalent; negative when short. */
export function changeDue(totalUsdMinor: number, tender: Tender, lbpPerUsd: number): { usdMinor: number; lbp: number } {
  const paidUsd = tender.currency === 'USD' ? tender.amountMinor : lbpToUsdMinor(tender.amountMinor, lbpPerUsd);
  const usdMinor = paidUsd - totalUsdMinor;
  return { usdMinor, lbp: usdToLbp(usdMinor, lbpPerUsd) };
}

export function toPayment(t: Tender): Payment {
  return t.method === 'card'
    ? { method: 'card', currency: t.currency, amountMinor: t.amountMinor, ...(t.reference.trim() ? { reference: t.reference.trim() } : {}) }
    : { method: 'cash', currency: t.currency, amountMinor: t.amountMinor };
}
