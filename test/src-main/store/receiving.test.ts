import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { Operation } from '../../../src-shared/operations';
import { actor, level, openFixture } from './helpers';

describe('receive', () => {
  it('receives against a purchase order: stock in, short and over noted as discrepancies', () => {
    const { store, products } = openFixture(3, 0);
    const [a, b, c] = products as [typeof products[0], typeof products[0], typeof products[0]];
    const r = store.receive({
      opId: uuidv7(), actorId: 'clerk-1', source: { kind: 'purchase_order', purchaseOrderRef: 'PO-2026-118' },
      lines: [
        { productId: a.id, expectedQuantity: 10, receivedQuantity: 10 },
        { productId: b.id, expectedQuantity: 10, receivedQuantity: 7 },
        { productId: c.id, expectedQuantity: 5, receivedQuantity: 6 },
      ],
    });
    expect(r.lines.map((l) => l.difference)).toEqual([0, -3, 1]);
    expect(r.discrepancyIds).toHaveLength(2);
    expect([a, b, c].map((p) => level(store, p.id).quantity)).toEqual([10, 7, 6]);
    const ds = store.openDiscrepancies();
    expect(ds.map((d) => [d.productId, d.kind, d.quantity])).toEqual(expect.arrayContaining([[b.id, 'short_receipt', 3], [c.id, 'over_receipt', 1]]));
    const op = Operation.parse(store.pendingOps()[0]);
    expect(op).toMatchObject({ type: 'receive', actorId: 'clerk-1', payload: { receiptId: r.receiptId, source: { kind: 'purchase_order' } } });
    expect(store.verifyConsistency().ok).toBe(true);
  });

  it('receives ad hoc from a supplier with no expectation; a line received as zero moves nothing', () => {
    const { store, products } = openFixture(2, 1);
    const [a, b] = products as [typeof products[0], typeof products[0]];
    const r = store.receive({ opId: uuidv7(), actorId: actor, source: { kind: 'adhoc', supplier: 'Bekaa Dairy' }, lines: [{ productId: a.id, receivedQuantity: 12 }, { productId: b.id, receivedQuantity: 0 }] });
    expect(r.discrepancyIds).toEqual([]);
    expect(level(store, a.id).quantity).toBe(13);
    expect(level(store, b.id).quantity).toBe(1);
    expect(store.movementHistory({ productId: b.id }).map((m) => m.movementType)).toEqual(['opening']);
  });
});
