import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { actor, dump, expectDomainError, level, openFixture } from './helpers';

const customer = { name: 'Karim', phone: '70123456' };

describe('adjust', () => {
  it('applies reason-coded deltas; a loss cannot take more than is available', () => {
    const { store, file, products } = openFixture(2, 5);
    const [a, b] = products as [typeof products[0], typeof products[0]];
    const r = store.adjust({ opId: uuidv7(), actorId: actor, reason: 'damaged', lines: [{ productId: a.id, quantityDelta: -2 }], note: 'crushed box', approvedBy: 'manager-1' });
    expect(r.lines).toEqual([{ productId: a.id, quantityDelta: -2, quantityAfter: 3 }]);
    store.adjust({ opId: uuidv7(), actorId: actor, reason: 'found', lines: [{ productId: b.id, quantityDelta: 4 }] });
    expect(level(store, b.id).quantity).toBe(9);
    const before = dump(file);
    expectDomainError(() => store.adjust({ opId: uuidv7(), actorId: actor, reason: 'theft', lines: [{ productId: b.id, quantityDelta: -1 }, { productId: a.id, quantityDelta: -4 }] }), 'insufficient_stock');
    // The reason must fit the direction.
    expectDomainError(() => store.adjust({ opId: uuidv7(), actorId: actor, reason: 'found', lines: [{ productId: a.id, quantityDelta: -1 }] }), 'validation');
    expectDomainError(() => store.adjust({ opId: uuidv7(), actorId: actor, reason: 'expired', lines: [{ productId: a.id, quantityDelta: 1 }] }), 'validation');
    expectDomainError(() => store.adjust({ opId: uuidv7(), actorId: actor, reason: 'correction', lines: [{ productId: a.id, quantityDelta: 0 }] }), 'validation');
    expect(dump(file)).toEqual(before);
    store.adjust({ opId: uuidv7(), actorId: actor, reason: 'correction', lines: [{ productId: a.id, quantityDelta: -3 }] });
    expect(level(store, a.id).quantity).toBe(0);
    expect(store.verifyConsistency().ok).toBe(true);
  });
});

describe('count', () => {
  it('keeps the approving manager on the count and in its op', () => {
    const { store, file, products } = openFixture(1, 10);
    const r = store.count({ opId: uuidv7(), actorId: actor, lines: [{ productId: products[0]!.id, counted: 30 }], approvedBy: 'manager-1' });
    expect(dump(file).counts).toEqual([expect.objectContaining({ id: r.countId, actor_id: actor, approved_by: 'manager-1' })]);
    expect(store.pendingOps(10).at(-1)).toMatchObject({ type: 'count', payload: { approvedBy: 'manager-1' } });
  });

  it('applies counted minus what the store expected at that moment', () => {
    const { store, products } = openFixture(3, 10);
    const [a, b, c] = products as [typeof products[0], typeof products[0], typeof products[0]];
    const r = store.count({ opId: uuidv7(), actorId: actor, scope: 'aisle 3', lines: [{ productId: a.id, counted: 8 }, { productId: b.id, counted: 10 }, { productId: c.id, counted: 13 }] });
    expect(r.lines).toEqual([
      { productId: a.id, expected: 10, counted: 8, delta: -2 },
      { productId: b.id, expected: 10, counted: 10, delta: 0 },
      { productId: c.id, expected: 10, counted: 13, delta: 3 },
    ]);
    expect([a, b, c].map((p) => level(store, p.id).quantity)).toEqual([8, 10, 13]);
    expect(store.movementHistory({ productId: b.id }).map((m) => m.movementType)).toEqual(['opening']);
    const op = store.pendingOps()[0];
    expect(op?.payload).toMatchObject({ countId: r.countId, lines: [{ productId: a.id, counted: 8, expected: 10 }, expect.anything(), expect.anything()] });
    expect(store.verifyConsistency().ok).toBe(true);
  });

  it('a count below what customers have reserved raises a negative-stock discrepancy', () => {
    const { store, products } = openFixture(1, 10);
    const a = products[0]!;
    store.reserve({ opId: uuidv7(), actorId: actor, customer, lines: [{ productId: a.id, quantity: 6 }] });
    const r = store.count({ opId: uuidv7(), actorId: actor, lines: [{ productId: a.id, counted: 4 }] });
    expect(r.discrepancyIds).toHaveLength(1);
    expect(level(store, a.id)).toMatchObject({ quantity: 4, reserved: 6, available: -2 });
    expect(store.openDiscrepancies()[0]).toMatchObject({ kind: 'negative_stock', quantity: -2 });
  });

  it('refuses a count naming a product twice', () => {
    const { store, file, products } = openFixture(1, 10);
    const before = dump(file);
    expectDomainError(() => store.count({ opId: uuidv7(), actorId: actor, lines: [{ productId: products[0]!.id, counted: 1 }, { productId: products[0]!.id, counted: 2 }] }), 'validation');
    expect(dump(file)).toEqual(before);
  });
});
