// @vitest-environment happy-dom
import { act, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProductLookupRow, SaleReceipt } from '../../src-shared/branch-inputs';
import { StatusBar } from '../../src-renderer/components/StatusBar';
import { useLocale } from '../../src-renderer/i18n/locale-store';
import { CartTable } from '../../src-renderer/screens/sell/CartTable';
import { ReceiptView } from '../../src-renderer/screens/sell/ReceiptView';
import { useApp } from '../../src-renderer/state/app-store';
import { useCart } from '../../src-renderer/state/cart-store';

/* Components rendered into a DOM (happy-dom) with their real zustand stores: what they show for a given state. */
Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });
const mounted: Array<() => void> = [];
function renderToStaticMarkup(node: ReactNode): string {
  const el = document.createElement('div');
  document.body.append(el);
  const root = createRoot(el);
  act(() => root.render(node));
  mounted.push(() => { act(() => root.unmount()); el.remove(); });
  return el.innerHTML;
}
afterEach(() => { for (const m of mounted.splice(0)) m(); });
const RATE = 89_500;
const olive: ProductLookupRow = {
  productId: '0190a000-0000-7000-8000-0000ee6b2801', sku: 'SKU-000001', nameEn: 'Olive Oil 250 g', nameAr: 'زيت زيتون ٢٥٠ غ',
  priceMinor: 650, currency: 'USD', taxClass: 'standard', taxRateBp: 1100, active: true, quantity: 5, reserved: 0, available: 5,
};

beforeEach(() => {
  useLocale.getState().setLang('en');
  useCart.getState().clear();
  useApp.setState({
    till: { deviceId: olive.productId, warehouseId: olive.productId, warehouseName: 'Beirut – Hamra', baseCurrency: 'USD', lbpPerUsd: RATE, returnApprovalAboveMinor: 5000, adjustApprovalAboveUnits: 10 },
    sync: {
      state: 'offline', pendingOps: 12, oldestPendingAgeMs: 60_000, lastSyncAt: new Date(Date.now() - 3 * 60_000).toISOString(),
      openFollowUps: 2, openDiscrepancies: 1, progress: null, lastError: null,
    },
  });
});

describe('status bar', () => {
  it('shows the link state, what is pending, the last sync as time ago, and what needs a person', () => {
    const html = renderToStaticMarkup(<StatusBar />);
    expect(html).toContain('Offline');
    expect(html).toContain('12 pending');
    expect(html).toContain('3 min. ago');
    expect(html).toContain('2 follow-ups');
    expect(html).toContain('1 discrepancies');
    expect(html).toContain('state-offline');
  });

  it('shows drain progress while syncing, in Arabic too', () => {
    useApp.setState((s) => ({ sync: s.sync && { ...s.sync, state: 'syncing', progress: { done: 40, total: 120 } } }));
    useLocale.getState().setLang('ar');
    const html = renderToStaticMarkup(<StatusBar />);
    expect(html).toContain('مزامنة');
    expect(html).toMatch(/<progress[^>]*max="120"[^>]*value="40"|<progress[^>]*value="40"[^>]*max="120"/);
  });
});

describe('cart', () => {
  it('lists lines with quantity and totals, names in the screen language', () => {
    useCart.getState().add(olive);
    useCart.getState().add(olive);
    let html = renderToStaticMarkup(<CartTable />);
    expect(html).toContain('Olive Oil 250 g');
    expect(html).toContain('value="2"');
    expect(html).toContain('$13.00');
    useLocale.getState().setLang('ar');
    html = renderToStaticMarkup(<CartTable />);
    expect(html).toContain('زيت زيتون');
  });

  it('says how to start when empty', () => {
    expect(renderToStaticMarkup(<CartTable />)).toContain('Scan an item to start a sale');
  });
});

describe('receipt', () => {
  it('shows the gap-free number, the total with its LBP equivalent, and the change', () => {
    const receipt: SaleReceipt = {
      saleId: olive.productId, receiptNo: 42, deviceId: olive.productId, occurredAt: '2026-12-04T12:00:00.000Z', actorId: 'rana', currency: 'USD',
      lines: [{ productId: olive.productId, sku: olive.sku, nameEn: olive.nameEn, nameAr: olive.nameAr, quantity: 2, unitPriceMinor: 650, taxRateBp: 1100, lineTotalMinor: 1300, taxMinor: 129 }],
      netMinor: 1171, taxMinor: 129, totalMinor: 1300, payments: [{ method: 'cash', currency: 'LBP', amountMinor: 1_500_000 }],
      paidMinor: 1675, changeDueMinor: 375, lbpPerUsd: RATE, discrepancyIds: [],
    };
    const html = renderToStaticMarkup(<ReceiptView receipt={receipt} onDone={() => undefined} />);
    expect(html).toContain('>42<');
    expect(html).toContain('$13.00');
    expect(html).toContain('1,163,500');
    expect(html).toContain('$3.75');
    expect(html).toContain('Beirut – Hamra');
  });
});
