import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { demoCatalog } from '../../src-main/demo/catalog';
import { openPage, scan, SCREENSHOTS, signIn, startBrowserTill, type BrowserTill } from './harness';

/*
 * The branch app in a real browser against the web host and a real store file.
 * The central-server parts of issue 5's scenario (server stopped and back,
 * pending count draining by sync, stock across branches, a reservation refused
 * centrally) arrive with the sync engine (issue 4): they are listed as todo.
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

  it.todo('with central: the server stops, more sales, a delivery and an adjustment raise the pending count (issue 4)');
  it.todo('with central: the server comes back, sync drains the backlog, a manager sees stock across branches (issue 4)');
  it.todo('with central: a reservation refused centrally appears as a follow-up with the customer\'s phone (issue 4)');
});
