import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import type { LevelSnapshot, PullResponse } from '../../../src-shared/sync';
import { actor, cash, level, OTHER_WAREHOUSE, openFixture, product, WAREHOUSE } from '../store/helpers';

/*
 * Applying pull pages to the real branch store (SQLite file): rebase of this
 * warehouse onto central's level plus the ops central has not applied, other
 * warehouses as-is, refused reservations released with a follow-up, and the
 * fold invariant kept throughout.
 */

const T0 = '2026-12-04T10:00:00.000Z';

function page(over: Partial<PullResponse> = {}): PullResponse {
  return {
    cursor: `c-${uuidv7()}`, hasMore: false, serverTime: T0, lastAppliedSeq: 0,
    warehouses: [], products: [], exchangeRates: [], levels: [], transfers: [], reservations: [], discrepancies: [], followUps: [],
    ...over,
  };
}
const lvl = (productId: string, quantity: number, reserved = 0, warehouseId = WAREHOUSE): LevelSnapshot => ({ warehouseId, productId, quantity, reserved, updatedAt: T0 });
const sell = (f: ReturnType<typeof openFixture>, productId: string, quantity: number) =>
  f.store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId, quantity }], payments: [cash(100_000)] });
const settleAll = (f: ReturnType<typeof openFixture>, upToSeq: number) =>
  f.store.markSynced(f.store.pendingOps(500).filter((o) => o.seq <= upToSeq).map((o) => ({ opId: o.opId, seq: o.seq, status: 'applied' as const })));

describe('pull page application and rebase', () => {
  it("adds central's level to the effect of ops central has not applied, counting none twice", () => {
    const f = openFixture(2, 10);
    const p = f.products[0]!.id;
    sell(f, p, 2); // seq 1
    sell(f, p, 1); // seq 2
    expect(level(f.store, p).quantity).toBe(7);
    // Central applied seq 1, and another till of this warehouse sold 3: central says 10 - 2 - 3 = 5.
    settleAll(f, 1);
    f.store.sync.applyPage(page({ lastAppliedSeq: 1, levels: [lvl(p, 5)] }));
    expect(level(f.store, p).quantity).toBe(4);
    // Then central applies seq 2 too: 4 centrally, and nothing pending here.
    settleAll(f, 2);
    f.store.sync.applyPage(page({ lastAppliedSeq: 2, levels: [lvl(p, 4)] }));
    expect(level(f.store, p).quantity).toBe(4);
    expect(f.store.verifyConsistency()).toMatchObject({ ok: true });
    expect(f.store.sync.state()).toMatchObject({ last_applied_seq: 2 });
  });

  it('rebases a product the page did not carry when an op on it was settled since the last pull', () => {
    const f = openFixture(1, 10);
    const p = f.products[0]!.id;
    f.store.sync.applyPage(page({ lastAppliedSeq: 0, levels: [lvl(p, 10)] }));
    sell(f, p, 4); // seq 1: refused centrally, so central's level never moved and the page has no level for it
    f.store.markSynced([{ opId: f.store.pendingOps(1)[0]!.opId, seq: 1, status: 'refused', error: { code: 'unknown_product', message: 'x' } }]);
    f.store.sync.applyPage(page({ lastAppliedSeq: 1 }));
    expect(level(f.store, p).quantity).toBe(10);
    expect(f.store.verifyConsistency().ok).toBe(true);
  });

  it('copies other warehouses as-is, stamps their time, and keeps the fold', () => {
    const f = openFixture(2, 10);
    const [a, b] = f.products.map((x) => x.id) as [string, string];
    f.store.sync.applyPage(page({ levels: [lvl(a, 40, 3, OTHER_WAREHOUSE), lvl(b, 0, 0, OTHER_WAREHOUSE)] }));
    const later = '2026-12-04T10:05:00.000Z';
    f.store.sync.applyPage(page({ levels: [{ ...lvl(a, 38, 1, OTHER_WAREHOUSE), updatedAt: later }] }));
    expect(f.store.verifyConsistency()).toMatchObject({ ok: true, checkedLevels: 4 });
    const db = new Database(f.file, { readonly: true });
    const rows = db.prepare('SELECT product_id, quantity, reserved, updated_at FROM inventory_levels WHERE warehouse_id = ? ORDER BY product_id').all(OTHER_WAREHOUSE);
    db.close();
    expect(rows).toEqual([
      { product_id: a, quantity: 38, reserved: 1, updated_at: later },
      { product_id: b, quantity: 0, reserved: 0, updated_at: T0 },
    ]);
  });

  it('a refused reservation is released here and becomes a follow-up with the customer contact', () => {
    const f = openFixture(1, 10);
    const p = f.products[0]!.id;
    const r = f.store.reserve({ opId: uuidv7(), actorId: actor, customer: { name: 'Rami Haddad', phone: '+961 3 123 456' }, lines: [{ productId: p, quantity: 3 }] });
    expect(level(f.store, p)).toMatchObject({ quantity: 10, reserved: 3 });
    const op = f.store.pendingOps(1)[0]!;
    const results = [{ opId: op.opId, seq: op.seq, status: 'refused' as const, error: { code: 'insufficient_stock' as const, message: 'only 1 available' } }];
    f.store.sync.inTransaction(() => {
      f.store.markSynced(results);
      f.store.sync.applyPushResults(results);
    });
    expect(level(f.store, p)).toMatchObject({ quantity: 10, reserved: 0 });
    expect(f.store.sync.counters()).toMatchObject({ pendingOps: 0, openFollowUps: 1 });
    expect(f.store.sync.followUps()).toMatchObject([{ reservationId: r.reservationId, customer: { name: 'Rami Haddad', phone: '+961 3 123 456' }, reason: 'only 1 available' }]);
    // The pull then brings the same outcome and central's follow-up: still one follow-up, reserved not released twice.
    f.store.sync.applyPage(page({
      lastAppliedSeq: 1, levels: [lvl(p, 10)], reservations: [{ reservationId: r.reservationId, status: 'refused', reason: 'insufficient_stock' }],
      followUps: [{ id: uuidv7(), warehouseId: WAREHOUSE, reservationId: r.reservationId, customer: { name: 'Rami Haddad', phone: '+961 3 123 456' }, reason: 'insufficient_stock', createdAt: T0, closedAt: null }],
    }));
    expect(level(f.store, p)).toMatchObject({ quantity: 10, reserved: 0 });
    expect(f.store.sync.counters().openFollowUps).toBe(1);
    expect(f.store.verifyConsistency().ok).toBe(true);
  });

  it('a refusal learnt only from the pull (push answer lost) releases once, and a held one is marked held', () => {
    const f = openFixture(1, 10);
    const p = f.products[0]!.id;
    const customer = { name: 'Maya', phone: '+961 70 111 222' };
    const r1 = f.store.reserve({ opId: uuidv7(), actorId: actor, customer, lines: [{ productId: p, quantity: 2 }] });
    const r2 = f.store.reserve({ opId: uuidv7(), actorId: actor, customer, lines: [{ productId: p, quantity: 5 }] });
    // Central applied both (seq 1 held, seq 2 refused); its level counts only the held one.
    f.store.sync.applyPage(page({
      lastAppliedSeq: 2, levels: [lvl(p, 10, 2)],
      reservations: [{ reservationId: r1.reservationId, status: 'held' }, { reservationId: r2.reservationId, status: 'refused', reason: 'insufficient_stock' }],
    }));
    expect(level(f.store, p)).toMatchObject({ quantity: 10, reserved: 2 });
    expect(f.store.sync.counters().openFollowUps).toBe(1);
    expect(f.store.verifyConsistency().ok).toBe(true);
  });

  it('takes the catalog, prices and the exchange rate, keeping the branch reorder level', () => {
    const f = openFixture(1, 10);
    const p = f.products[0]!;
    const fresh = product(99);
    const { reorderLevel: _r, ...central } = { ...p, priceMinor: 777 };
    const { reorderLevel: _r2, ...freshCentral } = fresh;
    f.store.sync.applyPage(page({
      products: [{ ...central, active: true, barcodes: p.barcodes ?? [] } as PullResponse['products'][number], { ...freshCentral, barcodes: fresh.barcodes ?? [] } as PullResponse['products'][number]],
      exchangeRates: [{ currency: 'LBP', perUsd: 89_500, effectiveAt: T0 }],
      warehouses: [{ id: OTHER_WAREHOUSE, code: 'ZAH', name: 'Zahle', kind: 'store', timezone: 'Asia/Beirut' }],
    }));
    const row = f.store.lookup({ code: p.sku });
    expect(row).toMatchObject({ priceMinor: 777 });
    expect(f.store.lookup({ code: fresh.sku })).toBeTruthy();
    expect(level(f.store, p.id).reorderLevel).toBe(5);
    const db = new Database(f.file, { readonly: true });
    expect(db.prepare('SELECT currency, per_usd FROM exchange_rates').all()).toEqual([{ currency: 'LBP', per_usd: 89_500 }]);
    expect(f.store.sync.lbpPerUsd()).toBe(89_500);
    db.close();
  });
});
