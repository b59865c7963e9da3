import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { Operation } from '../../../src-shared/operations';
import { actor, cash, dump, expectDomainError, level, openFixture } from './helpers';

describe('sell', () => {
  it('records a multi-line sale: stock, receipt with catalog prices and VAT, outbox op', () => {
    const { store, products } = openFixture(3, 10);
    const [a, b] = products as [typeof products[0], typeof products[0]];
    const r = store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: a.id, quantity: 2 }, { productId: b.id, quantity: 1 }], payments: [cash(1000)] });
    expect(r.receiptNo).toBe(1);
    expect(r.totalMinor).toBe(2 * 100 + 200);
    expect(r.lines.map((l) => [l.sku, l.nameAr, l.lineTotalMinor])).toEqual([[a.sku, a.nameAr, 200], [b.sku, b.nameAr, 200]]);
    // 11% VAT inside tax-inclusive prices: 200 * 1100 / 11100 = 19.8 -> 20 per line
    expect(r.taxMinor).toBe(40);
    expect(r.netMinor).toBe(360);
    expect(r.changeDueMinor).toBe(600);
    expect(level(store, a.id)).toMatchObject({ quantity: 8, reserved: 0, available: 8 });
    expect(level(store, b.id).quantity).toBe(9);
    const ops = store.pendingOps();
    expect(ops).toHaveLength(1);
    const op = Operation.parse(ops[0]);
    expect(op).toMatchObject({ seq: 1, type: 'sale', actorId: actor, payload: { saleId: r.saleId, receiptNo: 1 } });
    expect(store.verifyConsistency()).toMatchObject({ ok: true, mismatches: [] });
  });

  it('numbers receipts and seqs without gaps, even across refused sales', () => {
    const { store, products } = openFixture(1, 3);
    const p = products[0]!;
    store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: p.id, quantity: 1 }], payments: [cash(100)] });
    expectDomainError(() => store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: p.id, quantity: 5 }], payments: [cash(500)] }), 'insufficient_stock');
    const r = store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: p.id, quantity: 1 }], payments: [cash(100)] });
    expect(r.receiptNo).toBe(2);
    expect(store.pendingOps().map((o) => o.seq)).toEqual([1, 2]);
  });

  it('all lines or none: a short line refuses the whole sale, naming product and availability, nothing written', () => {
    const { store, file, products } = openFixture(2, 3);
    const [a, b] = products as [typeof products[0], typeof products[0]];
    const before = dump(file);
    const e = expectDomainError(() => store.sell({
      opId: uuidv7(), actorId: actor, lines: [{ productId: a.id, quantity: 1 }, { productId: b.id, quantity: 4 }], payments: [cash(10_000)],
    }), 'insufficient_stock');
    expect(e.details).toEqual({ productId: b.id, sku: b.sku, requested: 4, available: 3 });
    expect(e.message).toContain(b.sku);
    expect(dump(file)).toEqual(before);
  });

  it('same opId twice returns the first receipt and writes once; a different input is op_conflict', () => {
    const { store, file, products } = openFixture(1, 10);
    const input = { opId: uuidv7(), actorId: actor, lines: [{ productId: products[0]!.id, quantity: 2 }], payments: [cash(200)] };
    const first = store.sell(input);
    const afterFirst = dump(file);
    expect(store.sell({ ...input, payments: [{ ...cash(200) }] })).toEqual(first);
    expect(dump(file)).toEqual(afterFirst);
    expectDomainError(() => store.sell({ ...input, lines: [{ productId: products[0]!.id, quantity: 3 }] }), 'op_conflict');
    expect(dump(file)).toEqual(afterFirst);
  });

  it('a manager override records the sale without stock and raises a negative-stock discrepancy', () => {
    const { store, products } = openFixture(1, 1);
    const p = products[0]!;
    const r = store.sell({
      opId: uuidv7(), actorId: actor, lines: [{ productId: p.id, quantity: 3 }], payments: [cash(300)],
      override: { managerId: 'manager-1', reason: 'goods already in the customer\'s hand' },
    });
    expect(r.discrepancyIds).toHaveLength(1);
    expect(level(store, p.id).quantity).toBe(-2);
    expect(store.openDiscrepancies()).toEqual([expect.objectContaining({ id: r.discrepancyIds[0], kind: 'negative_stock', quantity: -2, productId: p.id })]);
    expect(store.inventorySummary().negative).toBe(1);
    expect(store.verifyConsistency().ok).toBe(true);
  });

  it('takes LBP cash on a USD sale at the given rate and gives change in USD', () => {
    const { store, products } = openFixture(1, 5);
    const r = store.sell({
      opId: uuidv7(), actorId: actor, lines: [{ productId: products[0]!.id, quantity: 1 }], lbpPerUsd: 89_500,
      payments: [{ method: 'cash', currency: 'LBP', amountMinor: 179_000 }],
    });
    expect(r).toMatchObject({ totalMinor: 100, paidMinor: 200, changeDueMinor: 100, lbpPerUsd: 89_500 });
  });
});

describe('a database that cannot take the write', () => {
  it('answers unavailable (retry later) and writes nothing when another connection holds the lock', async () => {
    const { store, file, products } = openFixture(1, 5, { busyTimeoutMs: 50, checkpointIntervalMs: false });
    const before = dump(file);
    const other = new Database(file);
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      const input = { opId: uuidv7(), actorId: actor, lines: [{ productId: products[0]!.id, quantity: 1 }], payments: [cash(100)] };
      const e = expectDomainError(() => store.sell(input), 'unavailable');
      expect(e.details).toEqual({ sqliteCode: 'SQLITE_BUSY' });
      other.prepare('ROLLBACK').run();
      expect(dump(file)).toEqual(before);
      // The same op succeeds once the lock is gone, exactly once.
      expect(store.sell(input).receiptNo).toBe(1);
    } finally {
      other.close();
    }
  });
});
