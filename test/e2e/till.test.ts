import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { DEMO_TENANT_ID, DEMO_WAREHOUSES, demoCatalog } from '../../src-shared/demo/catalog';
import { createPurchaseOrder, listPurchaseOrders } from '../../src-server/admin/purchase-orders';
import { inTenant } from '../../src-server/admin/tenant-scope';
import { moveStock } from '../../src-server/transfers/central';
import { openPage, scan, SCREENSHOTS, signIn, startBrowserTill, startCentralTill, type BrowserTill, type CentralTill } from './harness';

/*
 * The branch app in a real browser against the web host and a real store file;
 * then, enrolled with a real central server, the offline half of issue 5's
 * scenario: central stopped and back, the pending count rising and draining,
 * stock across branches, a reservation refused centrally, a purchase order
 * placed centrally and received at the till by scans.
 */
const catalog = demoCatalog(300);
const item = (n: number) => {
  const p = catalog[n]?.product;
  if (!p || !p.barcodes[0]) throw new Error(`no demo product ${n}`);
  return { id: p.id, barcode: p.barcodes[0], sku: p.sku };
};

let t: BrowserTill;
beforeAll(async () => { t = await startBrowserTill(); }, 120_000);
afterAll(async () => { await t?.close(); });
// One till, one person: the session belongs to the core, so each test starts signed out.
beforeEach(async () => { await t.till.core.call('signOut', {}); });

const quantity = (code: string) => t.till.store.lookup({ code })?.quantity ?? NaN;

describe('the till in a browser (web host)', () => {
  it('a cashier signs in, scans three items, completes the sale with the keyboard, and the stock falls', async () => {
    const page = await openPage(t);
    await page.getByTestId('sign-in').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'sign-in.png') });
    await signIn(page, 'rana', '1111');
    const [a, b, c] = [item(0), item(1), item(2)];
    const before = [a, b, c].map((x) => quantity(x.sku));
    await scan(page, a.barcode);
    await scan(page, b.barcode);
    await scan(page, a.barcode);
    await scan(page, c.barcode);
    await expect.poll(() => page.getByTestId('cart-line').count()).toBe(3);
    await expect.poll(() => page.getByTestId('cart-qty').first().inputValue()).toBe('2');
    await page.screenshot({ path: join(SCREENSHOTS, 'sell.png') });
    await page.keyboard.press('F12');
    await page.getByTestId('payment').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'payment.png') });
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    const receiptNo = await page.getByTestId('receipt-no').textContent();
    expect(receiptNo).toBe('1');
    await page.screenshot({ path: join(SCREENSHOTS, 'receipt.png') });
    expect([a, b, c].map((x) => quantity(x.sku))).toEqual([before[0]! - 2, before[1]! - 1, before[2]! - 1]);
    // The status bar counts the sale as pending for central.
    await expect.poll(() => page.getByTestId('pending-ops').textContent()).toMatch(/^1 /);
    // Enter again starts the next customer's sale.
    await page.keyboard.press('Enter');
    await page.getByTestId('cart-empty').waitFor();
    await page.context().close();
  });

  it('refuses a sale beyond stock with a clear message, and a manager override records it', async () => {
    const page = await openPage(t);
    await signIn(page, 'rana', '1111');
    const empty = item(16); // every 17th demo product opens at zero
    expect(quantity(empty.sku)).toBe(0);
    await scan(page, empty.barcode);
    await page.getByTestId('cart-line').waitFor();
    await page.keyboard.press('F12');
    await page.keyboard.press('Enter');
    await page.getByTestId('shortage').waitFor();
    await expect.poll(() => page.getByTestId('shortage').textContent()).toContain(empty.sku);
    await page.screenshot({ path: join(SCREENSHOTS, 'sell-shortage.png') });
    await page.getByTestId('approval-reason').fill('customer holds the last box');
    await page.getByTestId('approval-pin').fill('9999');
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    expect(quantity(empty.sku)).toBe(-1);
    await page.context().close();
  });

  it('a clerk receives an ad hoc delivery by scanning, then posts an adjustment', async () => {
    const page = await openPage(t);
    await signIn(page, 'karim', '2222');
    await page.getByTestId('receive-screen').waitFor();
    const d = item(20);
    const before = quantity(d.sku);
    for (let i = 0; i < 3; i += 1) await scan(page, d.barcode);
    await expect.poll(() => page.getByTestId('receive-qty').inputValue()).toBe('3');
    await page.getByTestId('receive-supplier').fill('Bekaa Farms');
    await page.screenshot({ path: join(SCREENSHOTS, 'receive.png') });
    await page.getByTestId('receive-post').click();
    await page.getByTestId('receive-done').waitFor();
    expect(quantity(d.sku)).toBe(before + 3);

    await page.getByTestId('nav-adjust').click();
    await page.getByTestId('adjust-screen').waitFor();
    await scan(page, d.barcode);
    await expect.poll(() => page.getByTestId('adjust-delta').inputValue()).toBe('-1');
    await page.screenshot({ path: join(SCREENSHOTS, 'adjust.png') });
    await page.getByTestId('adjust-post').click();
    await page.getByTestId('adjust-done').waitFor();
    expect(quantity(d.sku)).toBe(before + 2);

    for (const s of ['transfers', 'stock'] as const) {
      await page.getByTestId(`nav-${s}`).click();
      await page.getByTestId(`${s}-screen`).waitFor();
      if (s === 'stock') await page.getByTestId('stock-row').first().waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, `${s}.png`) });
    }
    await page.context().close();
  });

  it('the same sale in Arabic lays the whole screen out right to left', async () => {
    const page = await openPage(t, 'ar');
    await signIn(page, 'maya', '9999');
    expect(await page.evaluate('document.documentElement.dir')).toBe('rtl');
    await page.getByTestId('nav-sell').click();
    const x = item(5);
    await scan(page, x.barcode);
    await page.getByTestId('cart-line').waitFor();
    // Right to left: the cart (start) sits to the right of the totals panel (end), and the brand is at the right edge.
    const cart = await page.getByTestId('cart').boundingBox();
    const pay = await page.getByTestId('pay').boundingBox();
    expect(cart && pay && cart.x > pay.x).toBe(true);
    const brand = await page.locator('.brand').boundingBox();
    expect(brand && brand.x + brand.width > 1280 - 60).toBe(true);
    await expect.poll(() => page.getByTestId('cart-line').first().textContent()).toContain(catalog[5]!.product.nameAr.split(' ')[0]!);
    await page.screenshot({ path: join(SCREENSHOTS, 'sell-ar.png') });
    await page.keyboard.press('F12');
    await page.getByTestId('pay-LBP').click();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'receipt-ar.png') });
    for (const s of ['returns', 'orders', 'stock'] as const) {
      await page.getByTestId(`nav-${s}`).click();
      await page.getByTestId(`${s}-screen`).waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, `${s}-ar.png`) });
    }
    await page.context().close();
  });

  it('a return by receipt number puts the goods back; a customer order is reserved and then collected', async () => {
    const page = await openPage(t);
    await signIn(page, 'rana', '1111');
    const x = item(30);
    await scan(page, x.barcode);
    await page.getByTestId('cart-line').waitFor();
    await page.keyboard.press('F12');
    await page.keyboard.press('Enter');
    const receiptNo = await page.getByTestId('receipt-no').textContent();
    await page.keyboard.press('Enter');
    const afterSale = quantity(x.sku);

    await page.getByTestId('nav-returns').click();
    await page.getByTestId('return-receipt-no').fill(receiptNo ?? '');
    await page.keyboard.press('Enter');
    await page.getByTestId('return-lines-row').waitFor();
    await page.getByTestId('return-lines-row').locator('input').fill('1');
    await page.screenshot({ path: join(SCREENSHOTS, 'returns.png') });
    await page.getByTestId('return-submit').click();
    await page.getByTestId('return-done').waitFor();
    expect(quantity(x.sku)).toBe(afterSale + 1);

    await page.getByTestId('nav-orders').click();
    await page.getByTestId('order-name').fill('Nadia Saleh');
    await page.getByTestId('order-phone').fill('+961 3 555 123');
    await scan(page, x.barcode);
    await page.getByTestId('order-lines-row').waitFor();
    await page.getByTestId('order-reserve').click();
    await page.getByTestId('open-orders').getByText('Nadia Saleh').waitFor();
    expect(t.till.store.lookup({ code: x.sku })?.reserved).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'orders.png') });
    await page.getByTestId('open-orders').getByRole('button').first().click();
    await page.getByTestId('payment').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    expect(t.till.store.lookup({ code: x.sku })).toMatchObject({ reserved: 0, quantity: afterSale });
    await page.context().close();
  });

});

describe('the till with central (web host, real central server on loopback)', () => {
  let c: CentralTill;
  const beirut = DEMO_WAREHOUSES.beirut.id;
  const tripoli = DEMO_WAREHOUSES.tripoli.id;
  beforeAll(async () => {
    c = await startCentralTill();
    // The first pull brings the catalog, Beirut's stock and the users (with central's PINs).
    await c.till.engine?.syncNow();
  }, 180_000);
  afterAll(async () => { await c?.close(); });
  beforeEach(async () => { await c.till.core.call('signOut', {}); });

  const local = (code: string) => c.till.store.lookup({ code })?.quantity ?? NaN;
  const centralLevel = (warehouseId: string, productId: string) => c.central.db.withTenant(DEMO_TENANT_ID, async (tx) => {
    const r = await tx.query<{ quantity: number; reserved: number }>(
      'SELECT quantity, reserved FROM inventory_levels WHERE tenant_id = $1 AND warehouse_id = $2 AND product_id = $3', [DEMO_TENANT_ID, warehouseId, productId]);
    return r.rows[0]?.quantity ?? 0;
  });
  const barState = (page: Page) => page.getByTestId('status-bar').getAttribute('class');
  const pending = (page: Page) => page.getByTestId('pending-ops').textContent();

  async function sellOne(page: Page, barcode: string): Promise<void> {
    await scan(page, barcode);
    await page.getByTestId('cart-line').waitFor();
    await page.keyboard.press('F12');
    await page.getByTestId('payment').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('cart-empty').waitFor();
  }

  it('with central: the server stops; more sales, a delivery and an adjustment raise the pending count', async () => {
    const [sold, delivered, adjusted, moved] = [item(60), item(61), item(62), item(63)];
    const page = await openPage(c);
    await signIn(page, 'rana', '1357');
    await expect.poll(() => barState(page)).toContain('state-online');
    await sellOne(page, sold.barcode);
    // Online, the sale is sent at once (the engine is nudged): nothing stays pending and central has it.
    await expect.poll(() => pending(page), { timeout: 10_000 }).toMatch(/^0 /);
    expect(await centralLevel(beirut, sold.id)).toBe(local(sold.sku));
    // Head office moves stock to Tripoli after this till's last pull: the till learns of it at its next sync.
    await moveStock(c.central.db, DEMO_TENANT_ID, { fromWarehouseId: DEMO_WAREHOUSES.depot.id, toWarehouseId: tripoli, lines: [{ productId: moved.id, quantity: 7 }] });

    await c.stopCentral();
    await sellOne(page, sold.barcode);
    await expect.poll(() => barState(page), { timeout: 10_000 }).toContain('state-offline');
    await expect.poll(() => pending(page)).toMatch(/^1 /);

    await c.till.core.call('signOut', {});
    await signIn(page, 'karim', '2468');
    await page.getByTestId('receive-screen').waitFor();
    const before = local(delivered.sku);
    for (let i = 0; i < 2; i += 1) await scan(page, delivered.barcode);
    await expect.poll(() => page.getByTestId('receive-qty').inputValue()).toBe('2');
    await page.getByTestId('receive-supplier').fill('Bekaa Farms');
    await page.getByTestId('receive-post').click();
    await page.getByTestId('receive-done').waitFor();
    expect(local(delivered.sku)).toBe(before + 2);
    await expect.poll(() => pending(page)).toMatch(/^2 /);

    await page.getByTestId('nav-adjust').click();
    await page.getByTestId('adjust-screen').waitFor();
    await scan(page, adjusted.barcode);
    await expect.poll(() => page.getByTestId('adjust-delta').inputValue()).toBe('-1');
    await page.getByTestId('adjust-post').click();
    await page.getByTestId('adjust-done').waitFor();
    await expect.poll(() => pending(page)).toMatch(/^3 /);
    expect(await barState(page)).toContain('state-offline');
    await page.screenshot({ path: join(SCREENSHOTS, 'offline-pending.png') });
    await page.context().close();
  });

  it('with central: the server comes back, sync drains the backlog, a manager sees stock across branches', async () => {
    const [sold, delivered, adjusted, moved] = [item(60), item(61), item(62), item(63)];
    await c.restartCentral();
    const page = await openPage(c);
    await signIn(page, 'maya', '8642');
    // Nobody presses anything: the probe finds central back and the engine drains the three operations.
    await expect.poll(() => pending(page), { timeout: 20_000 }).toMatch(/^0 /);
    await expect.poll(() => barState(page)).toContain('state-online');
    for (const x of [sold, delivered, adjusted]) expect(await centralLevel(beirut, x.id)).toBe(local(x.sku));

    await page.getByTestId('nav-stock').click();
    await page.getByTestId('stock-screen').waitFor();
    await expect.poll(() => page.getByTestId('other-branches').textContent()).toMatch(/as of/);
    await page.getByTestId('stock-search').fill(moved.sku);
    await expect.poll(() => page.getByTestId('stock-row').count()).toBe(1);
    await page.getByTestId('stock-row').first().click();
    await expect.poll(() => page.getByTestId('other-branch-row').count()).toBe(3);
    const tripoliNow = await centralLevel(tripoli, moved.id);
    await expect.poll(() => page.getByTestId('other-branch-row').filter({ hasText: DEMO_WAREHOUSES.tripoli.name }).textContent())
      .toContain(String(tripoliNow));
    await page.screenshot({ path: join(SCREENSHOTS, 'stock-across-branches.png') });
    await page.context().close();
  });

  it('with central: a reservation refused centrally appears as a follow-up with the customer\'s phone', async () => {
    const x = item(64);
    // Another branch takes Beirut's last units centrally before this till hears of it.
    const have = await centralLevel(beirut, x.id);
    await moveStock(c.central.db, DEMO_TENANT_ID, { fromWarehouseId: beirut, toWarehouseId: tripoli, lines: [{ productId: x.id, quantity: have }] });
    const page = await openPage(c);
    await signIn(page, 'rana', '1357');
    await page.getByTestId('nav-orders').click();
    await page.getByTestId('follow-ups-empty').waitFor();
    await page.getByTestId('order-name').fill('Hadi Mansour');
    await page.getByTestId('order-phone').fill('+961 70 123 456');
    await scan(page, x.barcode);
    await page.getByTestId('order-lines-row').waitFor();
    await page.getByTestId('order-reserve').click();
    // Accepted offline-first by the till, refused by central: released here and turned into a call to make.
    await page.getByTestId('follow-ups-list').getByText('+961 70 123 456').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('follow-ups').textContent()).toMatch(/^1 /);
    expect(c.till.store.lookup({ code: x.sku })).toMatchObject({ reserved: 0, quantity: 0 });
    await page.screenshot({ path: join(SCREENSHOTS, 'follow-up.png') });
    await page.context().close();
  });

  it('with central: a purchase order placed centrally shows on the Receive screen after sync and is received by scans, short noted', async () => {
    const [a, b] = [item(65), item(66)];
    await inTenant(c.central.db, DEMO_TENANT_ID, (tx) => createPurchaseOrder(tx, DEMO_TENANT_ID, {
      ref: 'PO-E2E-1', warehouseId: beirut, supplier: 'Bekaa Farms', lines: [{ productId: a.id, ordered: 3 }, { productId: b.id, ordered: 2 }],
    }));
    await c.till.engine?.syncNow();
    const [beforeA, beforeB] = [local(a.sku), local(b.sku)];
    const page = await openPage(c);
    await signIn(page, 'karim', '2468');
    await page.getByTestId('receive-screen').waitFor();
    await page.getByTestId('receive-expected-purchase_order').click();
    await expect.poll(() => page.getByTestId('receive-qty').count()).toBe(2);
    for (const code of [a.barcode, a.barcode, a.barcode, b.barcode]) await scan(page, code);
    await expect.poll(() => page.getByTestId('receive-diff').textContent()).toMatch(/Short 1/i);
    await page.screenshot({ path: join(SCREENSHOTS, 'receive-purchase-order.png') });
    await page.getByTestId('receive-post').click();
    await page.getByTestId('receive-done').waitFor();
    await expect.poll(() => page.getByTestId('receive-expected-purchase_order').count()).toBe(0);
    expect([local(a.sku), local(b.sku)]).toEqual([beforeA + 3, beforeB + 1]);
    await expect.poll(async () => (await inTenant(c.central.db, DEMO_TENANT_ID, (tx) => listPurchaseOrders(tx, DEMO_TENANT_ID, { status: 'received', limit: 10 })))
      .map((o) => o.ref), { timeout: 20_000 }).toContain('PO-E2E-1');
    await page.context().close();
  });
});
