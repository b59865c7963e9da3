import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { Operation } from '../../../src-shared/operations';
import { actor, dump, expectDomainError, level, openFixture, OTHER_WAREHOUSE, WAREHOUSE } from './helpers';

describe('transfers', () => {
  it('transferOut takes stock (conditionally) and leaves it in transit until central says it arrived', () => {
    const { store, file, products } = openFixture(2, 10);
    const [a, b] = products as [typeof products[0], typeof products[0]];
    const t = store.transferOut({ opId: uuidv7(), actorId: actor, toWarehouseId: OTHER_WAREHOUSE, lines: [{ productId: a.id, quantity: 4 }], note: 'for the Zahle shelf' });
    expect(t).toMatchObject({ direction: 'out', status: 'in_transit', fromWarehouseId: WAREHOUSE, toWarehouseId: OTHER_WAREHOUSE, lines: [{ productId: a.id, dispatched: 4, received: null }] });
    expect(level(store, a.id)).toMatchObject({ quantity: 6, inTransitOut: 4, inTransitIn: 0 });
    expect(store.inventorySummary().inTransitOut).toBe(4);
    const before = dump(file);
    expectDomainError(() => store.transferOut({ opId: uuidv7(), actorId: actor, toWarehouseId: OTHER_WAREHOUSE, lines: [{ productId: b.id, quantity: 1 }, { productId: a.id, quantity: 7 }] }), 'insufficient_stock');
    expectDomainError(() => store.transferOut({ opId: uuidv7(), actorId: actor, toWarehouseId: uuidv7(), lines: [{ productId: a.id, quantity: 1 }] }), 'unknown_warehouse');
    expectDomainError(() => store.transferOut({ opId: uuidv7(), actorId: actor, toWarehouseId: WAREHOUSE, lines: [{ productId: a.id, quantity: 1 }] }), 'validation');
    expect(dump(file)).toEqual(before);
    expect(Operation.parse(store.pendingOps()[0])).toMatchObject({ type: 'transfer_out', payload: { transferId: t.transferId, toWarehouseId: OTHER_WAREHOUSE } });
    // Central reports it received at the other end: no longer in transit.
    store.applyTransferViews([{ transferId: t.transferId, fromWarehouseId: WAREHOUSE, toWarehouseId: OTHER_WAREHOUSE, status: 'received', dispatchedAt: t.occurredAt, lines: [{ productId: a.id, dispatched: 4, received: 4 }] }]);
    expect(level(store, a.id).inTransitOut).toBe(0);
    expect(store.verifyConsistency().ok).toBe(true);
  });

  it('transferIn against a transfer known from central: deliveries in parts, short and over per line against what is outstanding (R17)', () => {
    const { store, products } = openFixture(3, 0);
    const [a, b, c] = products as [typeof products[0], typeof products[0], typeof products[0]];
    const transferId = uuidv7();
    store.applyTransferViews([{ transferId, fromWarehouseId: OTHER_WAREHOUSE, toWarehouseId: WAREHOUSE, status: 'in_transit', dispatchedAt: new Date().toISOString(), lines: [{ productId: a.id, dispatched: 5, received: 0 }, { productId: b.id, dispatched: 3, received: 0 }] }]);
    expect(level(store, a.id).inTransitIn).toBe(5);
    expect(store.inventorySummary().inTransitIn).toBe(8);

    // First truck: 4 of a (1 short), an unexpected c (over), no b yet (not flagged: it may come next).
    const first = store.transferIn({ opId: uuidv7(), actorId: actor, transferId, lines: [{ productId: a.id, quantity: 4 }, { productId: c.id, quantity: 1 }] });
    expect(first.status).toBe('partially_received');
    expect(first.lines).toEqual(expect.arrayContaining([{ productId: a.id, dispatched: 5, received: 4 }, { productId: b.id, dispatched: 3, received: null }, { productId: c.id, dispatched: null, received: 1 }]));
    expect(store.openDiscrepancies().map((d) => [d.productId, d.kind, d.quantity])).toEqual(expect.arrayContaining([[a.id, 'short_receipt', 1], [c.id, 'over_receipt', 1]]));
    expect(first.discrepancyIds).toHaveLength(2);
    expect([a, b, c].map((p) => level(store, p.id).quantity)).toEqual([4, 0, 1]);
    expect([a, b].map((p) => level(store, p.id).inTransitIn)).toEqual([1, 3]);

    // Second truck: the rest, exactly what is outstanding: no new discrepancy, the transfer is received.
    const second = store.transferIn({ opId: uuidv7(), actorId: actor, transferId, lines: [{ productId: b.id, quantity: 3 }, { productId: a.id, quantity: 1 }] });
    expect(second).toMatchObject({ status: 'received', discrepancyIds: [] });
    expect([a, b, c].map((p) => level(store, p.id).quantity)).toEqual([5, 3, 1]);
    expect(store.inventorySummary().inTransitIn).toBe(0);

    // Central's later view does not undo what arrived here.
    store.applyTransferViews([{ transferId, fromWarehouseId: OTHER_WAREHOUSE, toWarehouseId: WAREHOUSE, status: 'in_transit', dispatchedAt: new Date().toISOString(), lines: [{ productId: a.id, dispatched: 5, received: 0 }, { productId: b.id, dispatched: 3, received: 0 }] }]);
    expect(level(store, a.id).inTransitIn).toBe(0);
    expect(store.verifyConsistency().ok).toBe(true);
  });

  it('a transfer received before central told us about it is matched when central does (R18)', () => {
    const { store, products } = openFixture(1, 0);
    const a = products[0]!;
    const transferId = uuidv7();
    store.transferIn({ opId: uuidv7(), actorId: actor, transferId, fromWarehouseId: OTHER_WAREHOUSE, lines: [{ productId: a.id, quantity: 2 }] });
    expect(level(store, a.id)).toMatchObject({ quantity: 2, inTransitIn: 0 });
    store.applyTransferViews([{ transferId, fromWarehouseId: OTHER_WAREHOUSE, toWarehouseId: WAREHOUSE, status: 'in_transit', dispatchedAt: new Date().toISOString(), lines: [{ productId: a.id, dispatched: 5, received: 0 }] }]);
    // Five were dispatched, two arrived here: three still on their way.
    expect(level(store, a.id).inTransitIn).toBe(3);
    const rest = store.transferIn({ opId: uuidv7(), actorId: actor, transferId, lines: [{ productId: a.id, quantity: 3 }] });
    expect(rest).toMatchObject({ status: 'received', discrepancyIds: [] });
    expect(level(store, a.id)).toMatchObject({ quantity: 5, inTransitIn: 0 });
  });

  it('transferIn of a transfer not known yet needs the sending warehouse', () => {
    const { store, file, products } = openFixture(1, 0);
    const a = products[0]!;
    const before = dump(file);
    expectDomainError(() => store.transferIn({ opId: uuidv7(), actorId: actor, transferId: uuidv7(), lines: [{ productId: a.id, quantity: 2 }] }), 'unknown_transfer');
    expectDomainError(() => store.transferIn({ opId: uuidv7(), actorId: actor, transferId: uuidv7(), fromWarehouseId: uuidv7(), lines: [{ productId: a.id, quantity: 2 }] }), 'unknown_warehouse');
    expect(dump(file)).toEqual(before);
    const r = store.transferIn({ opId: uuidv7(), actorId: actor, transferId: uuidv7(), fromWarehouseId: OTHER_WAREHOUSE, lines: [{ productId: a.id, quantity: 2 }] });
    expect(r).toMatchObject({ direction: 'in', status: 'received', discrepancyIds: [], lines: [{ productId: a.id, dispatched: null, received: 2 }] });
    expect(level(store, a.id).quantity).toBe(2);
    expect(Operation.parse(store.pendingOps()[0])).toMatchObject({ type: 'transfer_in', payload: { fromWarehouseId: OTHER_WAREHOUSE } });
    expect(store.verifyConsistency().ok).toBe(true);
  });

  it('a branch cannot receive its own outgoing transfer', () => {
    const { store, products } = openFixture(1, 5);
    const t = store.transferOut({ opId: uuidv7(), actorId: actor, toWarehouseId: OTHER_WAREHOUSE, lines: [{ productId: products[0]!.id, quantity: 1 }] });
    expectDomainError(() => store.transferIn({ opId: uuidv7(), actorId: actor, transferId: t.transferId, lines: [{ productId: products[0]!.id, quantity: 1 }] }), 'validation');
  });
});
