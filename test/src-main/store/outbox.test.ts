import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { Operation } from '../../../src-shared/operations';
import { actor, cash, expectDomainError, openFixture, OTHER_WAREHOUSE } from './helpers';

describe('outbox for sync', () => {
  it('every operation queues a valid Operation, in seq order, with its actor', () => {
    const { store, products } = openFixture(2, 20);
    const [a, b] = products as [typeof products[0], typeof products[0]];
    const customer = { name: 'Lina', phone: '+96170000000' };
    const sale = store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: a.id, quantity: 1 }], payments: [cash(100)] });
    store.returnSale({ opId: uuidv7(), actorId: actor, saleId: sale.saleId, lines: [{ productId: a.id, quantity: 1 }] });
    const r1 = store.reserve({ opId: uuidv7(), actorId: actor, customer, lines: [{ productId: a.id, quantity: 1 }] });
    store.release({ opId: uuidv7(), actorId: actor, reservationId: r1.reservationId });
    const r2 = store.reserve({ opId: uuidv7(), actorId: actor, customer, lines: [{ productId: b.id, quantity: 1 }] });
    store.fulfil({ opId: uuidv7(), actorId: actor, reservationId: r2.reservationId, payments: [cash(200)] });
    store.receive({ opId: uuidv7(), actorId: actor, source: { kind: 'adhoc' }, lines: [{ productId: a.id, receivedQuantity: 3 }] });
    store.adjust({ opId: uuidv7(), actorId: actor, reason: 'expired', lines: [{ productId: a.id, quantityDelta: -1 }] });
    store.count({ opId: uuidv7(), actorId: actor, lines: [{ productId: b.id, counted: 15 }] });
    store.transferOut({ opId: uuidv7(), actorId: actor, toWarehouseId: OTHER_WAREHOUSE, lines: [{ productId: b.id, quantity: 2 }] });
    store.transferIn({ opId: uuidv7(), actorId: actor, transferId: uuidv7(), fromWarehouseId: OTHER_WAREHOUSE, lines: [{ productId: b.id, quantity: 2 }] });
    const ops = store.pendingOps().map((o) => Operation.parse(o));
    expect(ops.map((o) => o.type)).toEqual(['sale', 'return', 'reserve', 'release', 'reserve', 'fulfil', 'receive', 'adjust', 'count', 'transfer_out', 'transfer_in']);
    expect(ops.map((o) => o.seq)).toEqual(ops.map((_, i) => i + 1));
    expect(ops.every((o) => o.actorId === actor)).toBe(true);
    expect(store.pendingOps(3).map((o) => o.seq)).toEqual([1, 2, 3]);
    expect(store.verifyConsistency()).toMatchObject({ ok: true, mismatches: [] });
  });

  it('markSynced records central\'s verdicts once; pendingOps then skips them', () => {
    const { store, products } = openFixture(1, 5);
    for (let i = 0; i < 3; i += 1) store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: products[0]!.id, quantity: 1 }], payments: [cash(100)] });
    const [o1, o2] = store.pendingOps();
    const n = store.markSynced([
      { opId: o1!.opId, seq: 1, status: 'applied' },
      { opId: o2!.opId, seq: 2, status: 'refused', error: { code: 'insufficient_stock', message: 'sold out centrally' } },
    ]);
    expect(n).toBe(2);
    expect(store.pendingOps().map((o) => o.seq)).toEqual([3]);
    expect(store.outboxCounts()).toEqual({ pending: 1, applied: 1, refused: 1 });
    expect(store.markSynced([{ opId: o1!.opId, seq: 1, status: 'refused' }])).toBe(0);
    expect(store.outboxCounts().applied).toBe(1);
    expect(store.inventorySummary().pendingOps).toBe(1);
    expectDomainError(() => store.pendingOps(0), 'validation');
  });
});
