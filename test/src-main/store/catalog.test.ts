import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { dump, expectDomainError, openFixture, product } from './helpers';

describe('catalog and opening stock', () => {
  it('upsertProducts updates in place and moves barcodes as central says', () => {
    const { store, products } = openFixture(2, 0);
    const [a, b] = products as [typeof products[0], typeof products[0]];
    store.upsertProducts([{ ...a, nameEn: 'Renamed', priceMinor: 555, barcodes: ['NEW-1'] }, { ...b, barcodes: [...b.barcodes, a.barcodes[0]!] }]);
    expect(store.lookup({ code: 'NEW-1' })).toMatchObject({ productId: a.id, nameEn: 'Renamed', priceMinor: 555 });
    expect(store.lookup({ code: a.barcodes[0]! })?.productId).toBe(b.id);
    expect(store.searchProducts({ prefix: 'renamed' }).map((r) => r.productId)).toEqual([a.id]);
  });

  it('a SKU claimed by two products is refused as a whole batch', () => {
    const { store, file } = openFixture(1, 0);
    const before = dump(file);
    expectDomainError(() => store.upsertProducts([product(7), { ...product(8), sku: 'SKU-000000' }]), 'validation');
    expect(dump(file)).toEqual(before);
  });

  it('opening stock sets the level through opening movements, so the fold holds', () => {
    const { store, products } = openFixture(1, 10);
    const p = products[0]!;
    store.setOpeningStock([{ productId: p.id, quantity: 4 }]);
    expect(store.movementHistory({ productId: p.id }).map((m) => [m.movementType, m.quantityDelta])).toEqual([['opening', -6], ['opening', 10]]);
    expect(store.verifyConsistency().ok).toBe(true);
    expectDomainError(() => store.setOpeningStock([{ productId: uuidv7(), quantity: 1 }]), 'unknown_product');
  });

  it('inactive products cannot be sold or reserved', () => {
    const { store, products } = openFixture(1, 10);
    store.upsertProducts([{ ...products[0]!, active: false }]);
    expectDomainError(() => store.sell({ opId: uuidv7(), actorId: 'c', lines: [{ productId: products[0]!.id, quantity: 1 }], payments: [{ method: 'cash', currency: 'USD', amountMinor: 100 }] }), 'invalid_state');
  });
});
