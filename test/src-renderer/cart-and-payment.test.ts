import { beforeEach, describe, expect, it } from 'vitest';
import type { ProductLookupRow } from '../../src-shared/branch-inputs';
import { cartTotals, useCart } from '../../src-renderer/state/cart-store';
import { changeDue, exactAmount, toPayment } from '../../src-renderer/screens/sell/payment';
import { lbpToUsdMinor } from '../../src-renderer/i18n/format';

const product = (id: string, priceMinor: number, taxRateBp = 1100): ProductLookupRow => ({
  productId: id, sku: `SKU-${id}`, nameEn: id, nameAr: id, priceMinor, currency: 'USD', taxClass: 'standard', taxRateBp,
  active: true, quantity: 10, reserved: 0, available: 10,
});

describe('cart store', () => {
  beforeEach(() => useCart.getState().clear());

  it('adds, merges a product scanned twice, edits and removes lines', () => {
    const a = product('a', 250);
    const b = product('b', 111, 0);
    useCart.getState().add(a);
    useCart.getState().add(b);
    useCart.getState().add(a);
    expect(useCart.getState().lines.map((l) => [l.product.productId, l.quantity])).toEqual([['a', 2], ['b', 1]]);
    useCart.getState().setQuantity('b', 3);
    useCart.getState().setQuantity('b', 0); // refused: a line is removed, not zeroed
    expect(useCart.getState().lines[1]?.quantity).toBe(3);
    useCart.getState().remove('a');
    expect(useCart.getState().lines.map((l) => l.product.productId)).toEqual(['b']);
  });

  it('totals tax-inclusive prices with the VAT contained, rounded per line as the store does', () => {
    const totals = cartTotals([{ product: product('a', 650), quantity: 2 }, { product: product('b', 100, 0), quantity: 1 }]);
    expect(totals.totalMinor).toBe(1400);
    expect(totals.taxMinor).toBe(Math.round((1300 * 1100) / 11_100));
    expect(totals.netMinor).toBe(1400 - totals.taxMinor);
    expect(totals.units).toBe(3);
  });
});

describe('payment', () => {
  const rate = 89_500;

  it('the exact LBP tender always covers the USD total after the store rounds it down', () => {
    for (const usd of [1, 99, 275, 1234, 99_999]) {
      const lbp = exactAmount(usd, 'LBP', rate);
      expect(lbpToUsdMinor(lbp, rate)).toBeGreaterThanOrEqual(usd);
      expect(lbpToUsdMinor(lbp - 1000, rate)).toBeLessThan(usd);
    }
  });

  it('shows change due in both currencies', () => {
    const change = changeDue(1250, { method: 'cash', currency: 'USD', amountMinor: 2000, reference: '' }, rate);
    expect(change).toEqual({ usdMinor: 750, lbp: Math.round((750 * rate) / 100) });
    expect(changeDue(1250, { method: 'cash', currency: 'LBP', amountMinor: 1_000_000, reference: '' }, rate).usdMinor).toBe(Math.floor((1_000_000 * 100) / rate) - 1250);
  });

  it('a card payment carries the amount and the reference only', () => {
    expect(toPayment({ method: 'card', currency: 'USD', amountMinor: 500, reference: ' AUTH-77 ' })).toEqual({ method: 'card', currency: 'USD', amountMinor: 500, reference: 'AUTH-77' });
    expect(toPayment({ method: 'cash', currency: 'LBP', amountMinor: 500, reference: 'x' })).toEqual({ method: 'cash', currency: 'LBP', amountMinor: 500 });
  });
});
