import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { MAX_LINE_QUANTITY } from '../../../src-shared/primitives';
import type { BranchStore } from '../../../src-main/store';
import { actor, cash, dump, expectDomainError, openFixture, OTHER_WAREHOUSE } from './helpers';

/*
 * Every operation, fed bad input, answers with a typed DomainError and leaves
 * every row of every table exactly as it was.
 */

type Case = [name: string, code: string, call: (s: BranchStore, p: string, ctx: { saleId: string; reservationId: string; usedOpId: string }) => unknown];

const quantities: Array<[string, unknown]> = [['zero', 0], ['negative', -1], ['fractional', 1.5], ['huge', MAX_LINE_QUANTITY + 1], ['a string', '2'], ['NaN', Number.NaN]];

const cases: Case[] = [
  ...quantities.flatMap(([label, q]): Case[] => [
    [`sell, ${label} quantity`, 'validation', (s, p) => s.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: p, quantity: q }], payments: [cash(100)] })],
    [`return, ${label} quantity`, 'validation', (s, p) => s.returnSale({ opId: uuidv7(), actorId: actor, lines: [{ productId: p, quantity: q }] })],
    [`reserve, ${label} quantity`, 'validation', (s, p) => s.reserve({ opId: uuidv7(), actorId: actor, customer: { name: 'A', phone: '70123456' }, lines: [{ productId: p, quantity: q }] })],
    [`transfer out, ${label} quantity`, 'validation', (s, p) => s.transferOut({ opId: uuidv7(), actorId: actor, toWarehouseId: OTHER_WAREHOUSE, lines: [{ productId: p, quantity: q }] })],
  ]),
  ['receive, negative quantity', 'validation', (s, p) => s.receive({ opId: uuidv7(), actorId: actor, source: { kind: 'adhoc' }, lines: [{ productId: p, receivedQuantity: -3 }] })],
  ['receive, nothing received', 'validation', (s, p) => s.receive({ opId: uuidv7(), actorId: actor, source: { kind: 'adhoc' }, lines: [{ productId: p, receivedQuantity: 0 }] })],
  ['adjust, fractional delta', 'validation', (s, p) => s.adjust({ opId: uuidv7(), actorId: actor, reason: 'correction', lines: [{ productId: p, quantityDelta: 0.5 }] })],
  ['adjust, unknown reason', 'validation', (s, p) => s.adjust({ opId: uuidv7(), actorId: actor, reason: 'gift', lines: [{ productId: p, quantityDelta: 1 }] })],
  ['count, negative count', 'validation', (s, p) => s.count({ opId: uuidv7(), actorId: actor, lines: [{ productId: p, counted: -1 }] })],
  ['transfer in, fractional', 'validation', (s, p) => s.transferIn({ opId: uuidv7(), actorId: actor, transferId: uuidv7(), fromWarehouseId: OTHER_WAREHOUSE, lines: [{ productId: p, quantity: 2.5 }] })],
  ['sell, unknown product', 'unknown_product', (s) => s.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: uuidv7(), quantity: 1 }], payments: [cash(100)] })],
  ['receive, unknown product', 'unknown_product', (s) => s.receive({ opId: uuidv7(), actorId: actor, source: { kind: 'adhoc' }, lines: [{ productId: uuidv7(), receivedQuantity: 1 }] })],
  ['adjust, unknown product', 'unknown_product', (s) => s.adjust({ opId: uuidv7(), actorId: actor, reason: 'found', lines: [{ productId: uuidv7(), quantityDelta: 1 }] })],
  ['count, unknown product', 'unknown_product', (s) => s.count({ opId: uuidv7(), actorId: actor, lines: [{ productId: uuidv7(), counted: 1 }] })],
  ['reserve, unknown product', 'unknown_product', (s) => s.reserve({ opId: uuidv7(), actorId: actor, customer: { name: 'A', phone: '70123456' }, lines: [{ productId: uuidv7(), quantity: 1 }] })],
  ['transfer out, unknown warehouse', 'unknown_warehouse', (s, p) => s.transferOut({ opId: uuidv7(), actorId: actor, toWarehouseId: uuidv7(), lines: [{ productId: p, quantity: 1 }] })],
  ['return, unknown sale', 'unknown_sale', (s, p) => s.returnSale({ opId: uuidv7(), actorId: actor, saleId: uuidv7(), lines: [{ productId: p, quantity: 1 }] })],
  ['fulfil, unknown reservation', 'unknown_reservation', (s) => s.fulfil({ opId: uuidv7(), actorId: actor, reservationId: uuidv7(), payments: [cash(100)] })],
  ['reused op id, other input (sell)', 'op_conflict', (s, p, c) => s.sell({ opId: c.usedOpId, actorId: actor, lines: [{ productId: p, quantity: 2 }], payments: [cash(500)] })],
  ['reused op id, other operation (adjust)', 'op_conflict', (s, p, c) => s.adjust({ opId: c.usedOpId, actorId: actor, reason: 'found', lines: [{ productId: p, quantityDelta: 1 }] })],
  ['reused op id, other actor', 'op_conflict', (s, p, c) => s.sell({ opId: c.usedOpId, actorId: 'someone-else', lines: [{ productId: p, quantity: 1 }], payments: [cash(100)] })],
  ['sell, payment short', 'validation', (s, p) => s.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: p, quantity: 2 }], payments: [cash(199)] })],
  ['sell, no payment', 'validation', (s, p) => s.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: p, quantity: 1 }], payments: [] })],
  ['sell, LBP payment without a rate', 'validation', (s, p) => s.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: p, quantity: 1 }], payments: [{ method: 'cash', currency: 'LBP', amountMinor: 10_000_000 }] })],
  ['sell, card number in the reference', 'validation', (s, p) => s.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: p, quantity: 1 }], payments: [{ method: 'card', currency: 'USD', amountMinor: 100, reference: '4111111111111111' }] })],
  ['sell, no lines', 'validation', (s) => s.sell({ opId: uuidv7(), actorId: actor, lines: [], payments: [cash(100)] })],
  ['sell, op id not a uuid', 'validation', (s, p) => s.sell({ opId: 'sale-1', actorId: actor, lines: [{ productId: p, quantity: 1 }], payments: [cash(100)] })],
  ['sell, no actor', 'validation', (s, p) => s.sell({ opId: uuidv7(), lines: [{ productId: p, quantity: 1 }], payments: [cash(100)] })],
  ['sell, null', 'validation', (s) => s.sell(null)],
  ['sell, a string', 'validation', (s) => s.sell('{"opId":"x"}')],
  ['sell, lines not an array', 'validation', (s) => s.sell({ opId: uuidv7(), actorId: actor, lines: { 0: 'x' }, payments: [cash(1)] })],
  ['reserve, bad phone', 'validation', (s, p) => s.reserve({ opId: uuidv7(), actorId: actor, customer: { name: 'A', phone: 'call me' }, lines: [{ productId: p, quantity: 1 }] })],
  ['reserve, NUL in the customer name', 'validation', (s, p) => s.reserve({ opId: uuidv7(), actorId: actor, customer: { name: 'A\u0000B', phone: '70123456' }, lines: [{ productId: p, quantity: 1 }] })],
  ['adjust, NUL in the note', 'validation', (s, p) => s.adjust({ opId: uuidv7(), actorId: actor, reason: 'found', note: 'shelf\u0000', lines: [{ productId: p, quantityDelta: 1 }] })],
  ['release, malformed id', 'validation', (s) => s.release({ opId: uuidv7(), actorId: actor, reservationId: 42 })],
  ['upsertProducts, negative price', 'validation', (s) => s.upsertProducts([{ id: uuidv7(), sku: 'X', barcodes: [], nameEn: 'x', nameAr: '', priceMinor: -1, currency: 'USD', taxClass: 'standard', active: true }])],
  ['setOpeningStock, fractional', 'validation', (s, p) => s.setOpeningStock([{ productId: p, quantity: 1.5 }])],
  ['markSynced, garbage', 'validation', (s) => s.markSynced([{ opId: 'x', status: 'maybe' }])],
];

describe('bad input leaves the database untouched', () => {
  const f = openFixture(2, 10, {}, 'suite');
  const p = f.products[0]!.id;
  const usedOpId = uuidv7();
  const sale = f.store.sell({ opId: usedOpId, actorId: actor, lines: [{ productId: p, quantity: 1 }], payments: [cash(100)] });
  const r = f.store.reserve({ opId: uuidv7(), actorId: actor, customer: { name: 'A', phone: '70123456' }, lines: [{ productId: p, quantity: 1 }] });
  const ctx = { saleId: sale.saleId, reservationId: r.reservationId, usedOpId };

  it.each(cases)('%s -> %s', (_name, code, call) => {
    const before = dump(f.file);
    expectDomainError(() => call(f.store, p, ctx), code);
    expect(dump(f.file)).toEqual(before);
  });

  it('the store still works and is consistent after all of that', () => {
    expect(f.store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: p, quantity: 1 }], payments: [cash(100)] }).receiptNo).toBe(2);
    expect(f.store.verifyConsistency()).toMatchObject({ ok: true, mismatches: [] });
  });
});
