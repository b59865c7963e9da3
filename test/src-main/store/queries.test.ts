import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { QUERY_SQL } from '../../../src-main/store/queries';
import { actor, cash, expectDomainError, openFixture, product } from './helpers';

describe('stock queries', () => {
  it('stockList pages by SKU and filters by SKU or name prefix, English or Arabic', () => {
    const { store } = openFixture(7, 4);
    const page1 = store.stockList({ limit: 3 });
    expect(page1.rows.map((r) => r.sku)).toEqual(['SKU-000000', 'SKU-000001', 'SKU-000002']);
    expect(page1.rows[0]).toMatchObject({ quantity: 4, reserved: 0, available: 4, inTransitIn: 0, inTransitOut: 0, reorderLevel: 5 });
    const page3 = store.stockList({ limit: 3, afterSku: store.stockList({ limit: 3, afterSku: page1.nextAfterSku ?? '' }).nextAfterSku ?? '' });
    expect(page3.rows.map((r) => r.sku)).toEqual(['SKU-000006']);
    expect(page3.nextAfterSku).toBeNull();
    expect(store.stockList({ search: 'SKU-00000' }).rows).toHaveLength(7);
    expect(store.stockList({ search: 'product 3' }).rows.map((r) => r.sku)).toEqual(['SKU-000003']);
    expect(store.stockList({ search: 'منتج 5' }).rows.map((r) => r.sku)).toEqual(['SKU-000005']);
    expectDomainError(() => store.stockList({ limit: 0 }), 'validation');
  });

  it('a search matching most of the catalog pages through every match once, in SKU order', () => {
    const { store } = openFixture(2100, 0);
    const seen: string[] = [];
    let after: string | null = '';
    while (after !== null) {
      const page = store.stockList({ search: 'product 1', limit: 500, afterSku: after });
      seen.push(...page.rows.map((r) => r.sku));
      after = page.nextAfterSku;
    }
    // "Product 1", "Product 10".."Product 19", "Product 100".."Product 199", "Product 1000".."Product 1999"
    expect(seen).toHaveLength(1 + 10 + 100 + 1000);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
    expect(store.stockList({ search: 'منتج', limit: 3 }).rows.map((r) => r.sku)).toEqual(['SKU-000000', 'SKU-000001', 'SKU-000002']);
  });

  it('lowStock lists active stocked products at or below their reorder level, most urgent first', () => {
    const { store, products } = openFixture(3, 10);
    const [a, b] = products as [typeof products[0], typeof products[0]];
    store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: a.id, quantity: 6 }, { productId: b.id, quantity: 9 }], payments: [cash(10_000)] });
    expect(store.lowStock().map((r) => [r.productId, r.available])).toEqual([[b.id, 1], [a.id, 4]]);
    store.upsertProducts([{ ...b, active: false }]);
    expect(store.lowStock().map((r) => r.productId)).toEqual([a.id]);
  });

  it('movementHistory is newest first and pages by id', () => {
    const { store, products } = openFixture(1, 10);
    const p = products[0]!;
    for (let i = 0; i < 3; i += 1) store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: p.id, quantity: 1 }], payments: [cash(100)] });
    const all = store.movementHistory({ productId: p.id });
    expect(all.map((m) => m.movementType)).toEqual(['sale', 'sale', 'sale', 'opening']);
    expect(all[0]?.opId).toBe(store.pendingOps()[2]?.opId);
    const next = store.movementHistory({ productId: p.id, limit: 2, beforeId: all[1]!.id });
    expect(next.map((m) => m.id)).toEqual([all[2]!.id, all[3]!.id]);
    expectDomainError(() => store.movementHistory({ productId: uuidv7() }), 'unknown_product');
  });

  it('lookup finds by barcode or SKU, with this branch\'s stock; inactive products are returned flagged', () => {
    const { store, products } = openFixture(2, 3);
    const [a, b] = products as [typeof products[0], typeof products[0]];
    expect(store.lookup({ code: a.barcodes[0]! })).toMatchObject({ productId: a.id, sku: a.sku, priceMinor: 100, taxRateBp: 1100, available: 3, active: true });
    expect(store.lookup({ code: b.sku })?.productId).toBe(b.id);
    expect(store.lookup({ code: '0000000000' })).toBeNull();
    store.upsertProducts([{ ...b, active: false }]);
    expect(store.lookup({ code: b.sku })?.active).toBe(false);
  });

  it('the lookup is one statement on indexes (no table scan)', () => {
    const { file } = openFixture(1, 0);
    const db = new Database(file, { readonly: true });
    const plan = db.prepare<Record<string, string>, { detail: string }>(`EXPLAIN QUERY PLAN ${QUERY_SQL.lookup}`).all({ t: 'a', w: 'b', code: 'c' }).map((r) => r.detail);
    db.close();
    expect(plan.join('\n')).not.toMatch(/SCAN/);
  });

  it('searchProducts matches name prefixes in English and Arabic, ignoring case, diacritics and letter forms', () => {
    const { store } = openFixture(0, 0);
    const milk = product(1, { nameEn: 'Almarai Full Cream Milk 1L', nameAr: 'حليب المراعي كامل الدسم' });
    const rice = product(2, { nameEn: 'Basmati Rice 5kg', nameAr: 'أرز بسمتي' });
    const ahmad = product(3, { nameEn: 'Ahmad Tea', nameAr: 'شاي أحمد' });
    const old = product(4, { nameEn: 'Almarai Laban', nameAr: 'لبن المراعي', active: false });
    store.upsertProducts([milk, rice, ahmad, old]);
    expect(store.searchProducts({ prefix: 'ALMARAI' }).map((r) => r.productId)).toEqual([milk.id]);
    expect(store.searchProducts({ prefix: 'حليب' }).map((r) => r.productId)).toEqual([milk.id]);
    // Typed without the hamza, with tashkeel: still found.
    expect(store.searchProducts({ prefix: 'ارز' }).map((r) => r.productId)).toEqual([rice.id]);
    expect(store.searchProducts({ prefix: 'أَرز' }).map((r) => r.productId)).toEqual([rice.id]);
    expect(store.searchProducts({ prefix: 'b' }).map((r) => r.productId)).toEqual([rice.id]);
    expect(store.searchProducts({ prefix: 'tea' })).toEqual([]);
    expectDomainError(() => store.searchProducts({ prefix: '' }), 'validation');
  });

  it('inventorySummary totals this branch\'s stock', () => {
    const { store, products } = openFixture(3, 10);
    const [a] = products as [typeof products[0]];
    store.reserve({ opId: uuidv7(), actorId: actor, customer: { name: 'N', phone: '70111222' }, lines: [{ productId: a.id, quantity: 10 }] });
    store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: products[1]!.id, quantity: 7 }], payments: [cash(10_000)] });
    expect(store.inventorySummary()).toMatchObject({
      products: 3, totalQuantity: 23, totalReserved: 10, totalAvailable: 13, lowStock: 2, outOfStock: 1, negative: 0,
      inTransitIn: 0, inTransitOut: 0, pendingOps: 2, openDiscrepancies: 0,
      valueMinor: { USD: 10 * 100 + 3 * 200 + 10 * 300, LBP: 0 },
    });
  });
});
