import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { openTill, type Till } from '../../../src-main/core/open-till';
import { demoCatalog } from '../../../src-main/demo/catalog';

/* The core over a real branch store file: roles, approvals, the actor on every op, typed refusals. */
let dir: string;
let till: Till;
const catalog = demoCatalog(40);
const product = (n: number) => catalog[n]!.product;
const cash = (amountMinor: number) => [{ method: 'cash' as const, currency: 'USD' as const, amountMinor }];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bp-core-'));
  till = await openTill({ dataDir: dir, seedDemo: true, demoProducts: 40, thresholds: { returnApprovalAboveMinor: 20_00, adjustApprovalAboveUnits: 5 } });
});
afterAll(async () => { await till.close(); rmSync(dir, { recursive: true, force: true }); });
beforeEach(async () => { await till.core.call('signOut', {}); });

const as = async (userId: string, pin: string) => expect(await till.core.call('signIn', { userId, pin })).toMatchObject({ ok: true });
const qty = (n: number) => till.store.lookup({ code: product(n).sku })?.quantity;
const lastOp = () => { const ops = till.store.pendingOps(5000); return ops[ops.length - 1]; };

describe('branch core', () => {
  it('refuses work before sign-in, and a wrong PIN', async () => {
    expect(await till.core.call('lookupProduct', { code: product(0).sku })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await till.core.call('signIn', { userId: 'rana', pin: '0000' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await till.core.call('listUsers', {})).toMatchObject({ ok: true });
  });

  it('records the signed-in cashier as the actor of a sale and returns the store receipt', async () => {
    await as('rana', '1111');
    const before = qty(0)!;
    const r = await till.core.call('sell', { opId: uuidv7(), lines: [{ productId: product(0).id, quantity: 2 }], payments: cash(100_00) });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.actorId).toBe('rana');
    expect(r.value.lbpPerUsd).toBe(till.settings.get().lbpPerUsd);
    expect(qty(0)).toBe(before - 2);
    expect(lastOp()).toMatchObject({ type: 'sale', actorId: 'rana' });
    expect(await till.core.call('saleByReceiptNo', { receiptNo: r.value.receiptNo })).toMatchObject({ ok: true, value: { saleId: r.value.saleId } });
  });

  it('keeps each role to its work', async () => {
    await as('rana', '1111');
    const adjust = { opId: uuidv7(), reason: 'damaged' as const, lines: [{ productId: product(1).id, quantityDelta: -1 }] };
    expect(await till.core.call('adjust', adjust)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await as('karim', '2222');
    expect(await till.core.call('sell', { opId: uuidv7(), lines: [{ productId: product(1).id, quantity: 1 }], payments: cash(100_00) }))
      .toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await till.core.call('adjust', adjust)).toMatchObject({ ok: true, value: { lines: [{ quantityDelta: -1 }] } });
    expect(lastOp()).toMatchObject({ type: 'adjust', actorId: 'karim' });
  });

  it('asks for a manager above the adjustment threshold and records who approved', async () => {
    await as('karim', '2222');
    const before = qty(2)!;
    const input = { opId: uuidv7(), reason: 'found' as const, lines: [{ productId: product(2).id, quantityDelta: 8 }] };
    expect(await till.core.call('adjust', input)).toMatchObject({ ok: false, error: { code: 'forbidden', details: { approvalRequired: true } } });
    expect(await till.core.call('adjust', { ...input, approval: { managerId: 'maya', pin: '1234' } })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await till.core.call('adjust', { ...input, approval: { managerId: 'rana', pin: '1111' } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(qty(2)).toBe(before);
    expect(await till.core.call('adjust', { ...input, approval: { managerId: 'maya', pin: '9999' } })).toMatchObject({ ok: true });
    expect(qty(2)).toBe(before + 8);
    expect(lastOp()).toMatchObject({ type: 'adjust', actorId: 'karim', payload: { approvedBy: 'maya' } });
  });

  it('asks for a manager when a count corrects many units, and keeps who approved with the count', async () => {
    await as('karim', '2222');
    const before = qty(4)!;
    const input = { opId: uuidv7(), lines: [{ productId: product(4).id, counted: before + 9 }] };
    expect(await till.core.call('count', input)).toMatchObject({ ok: false, error: { code: 'forbidden', details: { approvalRequired: true } } });
    expect(qty(4)).toBe(before);
    const r = await till.core.call('count', { ...input, approval: { managerId: 'maya', pin: '9999' } });
    if (!r.ok) throw new Error(r.error.message);
    expect(qty(4)).toBe(before + 9);
    expect(lastOp()).toMatchObject({ type: 'count', actorId: 'karim', payload: { countId: r.value.countId, approvedBy: 'maya' } });
    // A small count needs nobody and names nobody.
    const small = await till.core.call('count', { opId: uuidv7(), lines: [{ productId: product(4).id, counted: before + 8 }] });
    expect(small).toMatchObject({ ok: true });
    expect((lastOp()?.payload as { approvedBy?: string }).approvedBy).toBeUndefined();
  });

  it('asks for a manager above the refund threshold', async () => {
    await as('rana', '1111');
    const small = { opId: uuidv7(), lines: [{ productId: product(3).id, quantity: 1 }] };
    expect(await till.core.call('returnSale', small)).toMatchObject({ ok: true });
    const big = { opId: uuidv7(), lines: [{ productId: product(3).id, quantity: 10 }] };
    expect(await till.core.call('returnSale', big)).toMatchObject({ ok: false, error: { code: 'forbidden', details: { approvalRequired: true } } });
    expect(await till.core.call('returnSale', { ...big, approval: { managerId: 'maya', pin: '9999' } })).toMatchObject({ ok: true });
  });

  it('sells without stock only with a manager override, naming the manager on the sale', async () => {
    await as('rana', '1111');
    const empty = catalog.findIndex((c) => c.openingQuantity === 0);
    const input = { opId: uuidv7(), lines: [{ productId: product(empty).id, quantity: 1 }], payments: cash(100_00) };
    const refused = await till.core.call('sell', input);
    expect(refused).toMatchObject({ ok: false, error: { code: 'insufficient_stock', details: { productId: product(empty).id, available: 0 } } });
    expect(await till.core.call('sell', { ...input, approval: { managerId: 'maya', pin: '9999' } })).toMatchObject({ ok: false, error: { code: 'validation' } });
    const ok = await till.core.call('sell', { ...input, opId: uuidv7(), approval: { managerId: 'maya', pin: '9999' }, overrideReason: 'in the customer\'s hand' });
    expect(ok).toMatchObject({ ok: true, value: { override: { managerId: 'maya' } } });
    expect(qty(empty)).toBe(-1);
  });

  it('validates input by the contract before anything runs', async () => {
    await as('rana', '1111');
    expect(await till.core.call('sell', { opId: 'nope', lines: [], payments: [] })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await till.core.callByName('dropTables', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // The actor cannot be chosen by the caller: extra fields are dropped, the session's user is used.
    const r = await till.core.call('sell', { opId: uuidv7(), actorId: 'maya', lines: [{ productId: product(4).id, quantity: 1 }], payments: cash(100_00) } as never);
    expect(r).toMatchObject({ ok: true, value: { actorId: 'rana' } });
  });

  it('emits stockChanged and an updated sync status after an operation', async () => {
    await as('rana', '1111');
    const events: string[] = [];
    const off = till.core.subscribe((e, payload) => { events.push(e); if (e === 'syncStatus') expect((payload as { pendingOps: number }).pendingOps).toBeGreaterThan(0); });
    await till.core.call('sell', { opId: uuidv7(), lines: [{ productId: product(5).id, quantity: 1 }], payments: cash(100_00) });
    // Events follow the answer, not before it.
    expect(events).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    off();
    expect(events).toEqual(expect.arrayContaining(['stockChanged', 'syncStatus']));
    expect(await till.core.call('syncStatus', {})).toMatchObject({ ok: true, value: { state: 'not_enrolled', lastSyncAt: null } });
  });

  it('reserves, lists and fulfils a customer order', async () => {
    await as('rana', '1111');
    const reserved = await till.core.call('reserve', { opId: uuidv7(), customer: { name: 'Nadia', phone: '+961 3 123456' }, lines: [{ productId: product(6).id, quantity: 1 }] });
    if (!reserved.ok) throw new Error(reserved.error.message);
    const open = await till.core.call('reservations', { openOnly: true });
    expect(open.ok && open.value.map((o) => o.reservationId)).toContain(reserved.value.reservationId);
    const fulfilled = await till.core.call('fulfil', { opId: uuidv7(), reservationId: reserved.value.reservationId, payments: cash(100_00) });
    expect(fulfilled).toMatchObject({ ok: true, value: { reservationId: reserved.value.reservationId, actorId: 'rana' } });
    const after = await till.core.call('reservations', { openOnly: true });
    expect(after.ok && after.value.map((o) => o.reservationId)).not.toContain(reserved.value.reservationId);
  });
});
