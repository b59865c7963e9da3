import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { Operation } from '../../../src-shared/operations';
import { actor, cash, dump, expectDomainError, level, openFixture } from './helpers';

describe('returnSale', () => {
  it('returns to a sale at the price sold, up to what was sold minus already returned', () => {
    const { store, file, products } = openFixture(3, 10);
    const [a, b, c] = products as [typeof products[0], typeof products[0], typeof products[0]];
    const sale = store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: a.id, quantity: 3 }, { productId: b.id, quantity: 1 }], payments: [cash(1000)] });
    // The catalog price changes after the sale: the refund stays at the price paid.
    store.upsertProducts([{ ...a, priceMinor: 999 }]);
    const r1 = store.returnSale({ opId: uuidv7(), actorId: actor, saleId: sale.saleId, lines: [{ productId: a.id, quantity: 2 }], reason: 'wrong size' });
    expect(r1).toMatchObject({ saleId: sale.saleId, totalRefundMinor: 200, currency: 'USD' });
    expect(level(store, a.id).quantity).toBe(9);
    const before = dump(file);
    const e = expectDomainError(() => store.returnSale({ opId: uuidv7(), actorId: actor, saleId: sale.saleId, lines: [{ productId: a.id, quantity: 2 }] }), 'invalid_state');
    expect(e.details).toMatchObject({ sold: 3, returned: 2, requested: 2 });
    // Two lines of the same product add up against the same limit.
    expectDomainError(() => store.returnSale({ opId: uuidv7(), actorId: actor, saleId: sale.saleId, lines: [{ productId: b.id, quantity: 1 }, { productId: b.id, quantity: 1 }] }), 'invalid_state');
    // A product that was not on the sale, and one not in the catalog at all.
    expectDomainError(() => store.returnSale({ opId: uuidv7(), actorId: actor, saleId: sale.saleId, lines: [{ productId: c.id, quantity: 1 }] }), 'invalid_state');
    expectDomainError(() => store.returnSale({ opId: uuidv7(), actorId: actor, saleId: sale.saleId, lines: [{ productId: uuidv7(), quantity: 1 }] }), 'unknown_product');
    expect(dump(file)).toEqual(before);
    store.returnSale({ opId: uuidv7(), actorId: actor, saleId: sale.saleId, lines: [{ productId: a.id, quantity: 1 }] });
    expect(store.verifyConsistency().ok).toBe(true);
    const ops = store.pendingOps().map((o) => Operation.parse(o));
    expect(ops.filter((o) => o.type === 'return')).toHaveLength(2);
  });

  it('an ad hoc return refunds at the catalog price and puts stock back', () => {
    const { store, products } = openFixture(1, 0);
    const p = products[0]!;
    const r = store.returnSale({ opId: uuidv7(), actorId: actor, lines: [{ productId: p.id, quantity: 2 }] });
    expect(r.saleId).toBeUndefined();
    expect(r.totalRefundMinor).toBe(200);
    expect(level(store, p.id).quantity).toBe(2);
    expect(store.movementHistory({ productId: p.id })[0]).toMatchObject({ movementType: 'return', quantityDelta: 2, referenceId: r.returnId });
  });

  it('an unknown sale is unknown_sale', () => {
    const { store, file, products } = openFixture(1, 5);
    const before = dump(file);
    expectDomainError(() => store.returnSale({ opId: uuidv7(), actorId: actor, saleId: uuidv7(), lines: [{ productId: products[0]!.id, quantity: 1 }] }), 'unknown_sale');
    expect(dump(file)).toEqual(before);
  });
});
