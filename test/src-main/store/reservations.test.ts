import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { Operation } from '../../../src-shared/operations';
import { actor, cash, dump, expectDomainError, level, openFixture } from './helpers';

const customer = { name: 'Rima Haddad', phone: '+961 3 123 456' };

describe('reserve, release, fulfil', () => {
  it('reserving moves stock to reserved by the conditional update; all lines or none', () => {
    const { store, file, products } = openFixture(2, 5);
    const [a, b] = products as [typeof products[0], typeof products[0]];
    const r = store.reserve({ opId: uuidv7(), actorId: actor, customer, lines: [{ productId: a.id, quantity: 3 }] });
    expect(r.status).toBe('pending');
    expect(level(store, a.id)).toMatchObject({ quantity: 5, reserved: 3, available: 2 });
    // Reserved stock cannot be sold.
    expectDomainError(() => store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: a.id, quantity: 3 }], payments: [cash(300)] }), 'insufficient_stock');
    const before = dump(file);
    const e = expectDomainError(() => store.reserve({ opId: uuidv7(), actorId: actor, customer, lines: [{ productId: b.id, quantity: 1 }, { productId: a.id, quantity: 3 }] }), 'insufficient_stock');
    expect(e.details).toMatchObject({ productId: a.id, available: 2, requested: 3 });
    expect(dump(file)).toEqual(before);
    expect(store.movementHistory({ productId: a.id })[0]).toMatchObject({ movementType: 'reserve', quantityDelta: 0, reservedDelta: 3 });
    expect(store.verifyConsistency().ok).toBe(true);
  });

  it('release gives the stock back; releasing again is idempotent by op id, a new release is invalid_state', () => {
    const { store, file, products } = openFixture(1, 5);
    const a = products[0]!;
    const r = store.reserve({ opId: uuidv7(), actorId: actor, customer, lines: [{ productId: a.id, quantity: 4 }] });
    const release = { opId: uuidv7(), actorId: actor, reservationId: r.reservationId, reason: 'customer cancelled' };
    const first = store.release(release);
    expect(level(store, a.id)).toMatchObject({ quantity: 5, reserved: 0 });
    const after = dump(file);
    expect(store.release(release)).toEqual(first);
    expectDomainError(() => store.release({ ...release, opId: uuidv7() }), 'invalid_state');
    expectDomainError(() => store.fulfil({ opId: uuidv7(), actorId: actor, reservationId: r.reservationId, payments: [cash(1000)] }), 'invalid_state');
    expect(dump(file)).toEqual(after);
    expectDomainError(() => store.release({ ...release, opId: uuidv7(), reservationId: uuidv7() }), 'unknown_reservation');
  });

  it('fulfil turns reserved stock into a sale with a receipt number; then it is closed', () => {
    const { store, file, products } = openFixture(2, 5);
    const [a, b] = products as [typeof products[0], typeof products[0]];
    const r = store.reserve({ opId: uuidv7(), actorId: actor, customer, lines: [{ productId: a.id, quantity: 2 }, { productId: b.id, quantity: 1 }] });
    const first = store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: b.id, quantity: 1 }], payments: [cash(200)] });
    const fulfil = { opId: uuidv7(), actorId: actor, reservationId: r.reservationId, payments: [cash(500)] };
    const receipt = store.fulfil(fulfil);
    expect(receipt).toMatchObject({ receiptNo: first.receiptNo + 1, reservationId: r.reservationId, totalMinor: 2 * 100 + 200, changeDueMinor: 100 });
    expect(level(store, a.id)).toMatchObject({ quantity: 3, reserved: 0 });
    expect(level(store, b.id)).toMatchObject({ quantity: 3, reserved: 0 });
    const after = dump(file);
    expect(store.fulfil(fulfil)).toEqual(receipt);
    expectDomainError(() => store.fulfil({ ...fulfil, opId: uuidv7() }), 'invalid_state');
    expectDomainError(() => store.release({ opId: uuidv7(), actorId: actor, reservationId: r.reservationId }), 'invalid_state');
    expect(dump(file)).toEqual(after);
    // A fulfilled reservation's sale can be returned to like any other.
    store.returnSale({ opId: uuidv7(), actorId: actor, saleId: receipt.saleId, lines: [{ productId: a.id, quantity: 2 }] });
    const ops = store.pendingOps().map((o) => Operation.parse(o));
    expect(ops.map((o) => o.type)).toEqual(['reserve', 'sale', 'fulfil', 'return']);
    expect(ops[2]).toMatchObject({ payload: { reservationId: r.reservationId, saleId: receipt.saleId } });
    expect(store.verifyConsistency()).toMatchObject({ ok: true });
  });

  it('fulfil refuses a short payment without writing', () => {
    const { store, file, products } = openFixture(1, 5);
    const r = store.reserve({ opId: uuidv7(), actorId: actor, customer, lines: [{ productId: products[0]!.id, quantity: 2 }] });
    const before = dump(file);
    expectDomainError(() => store.fulfil({ opId: uuidv7(), actorId: actor, reservationId: r.reservationId, payments: [cash(199)] }), 'validation');
    expect(dump(file)).toEqual(before);
  });
});

describe('expiry', () => {
  it('releaseExpired frees only the holds past their expiry, each as a release op', () => {
    let clock = Date.parse('2026-12-04T10:00:00Z');
    const { store, products } = openFixture(1, 10, { now: () => new Date(clock).toISOString() });
    const a = products[0]!;
    // Given with an offset (Beirut, +02:00): expires at 11:00 UTC.
    const soon = store.reserve({ opId: uuidv7(), actorId: actor, customer, lines: [{ productId: a.id, quantity: 3 }], expiresAt: '2026-12-04T13:00:00+02:00' });
    store.reserve({ opId: uuidv7(), actorId: actor, customer, lines: [{ productId: a.id, quantity: 2 }], expiresAt: '2026-12-05T10:00:00Z' });
    store.reserve({ opId: uuidv7(), actorId: actor, customer, lines: [{ productId: a.id, quantity: 1 }] });
    expect(store.releaseExpired()).toEqual([]);
    clock = Date.parse('2026-12-04T11:30:00Z');
    expect(store.releaseExpired().map((r) => r.reservationId)).toEqual([soon.reservationId]);
    expect(level(store, a.id)).toMatchObject({ quantity: 10, reserved: 3 });
    expect(store.releaseExpired()).toEqual([]);
    const last = Operation.parse(store.pendingOps().at(-1));
    expect(last).toMatchObject({ type: 'release', actorId: 'system:expiry', payload: { reservationId: soon.reservationId, reason: 'expired' } });
    expect(store.verifyConsistency().ok).toBe(true);
  });
});
