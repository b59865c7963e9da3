import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpectedDelivery } from '../../../src-shared/branch-api';
import { uuidv7 } from '../../../src-shared/ids';
import type { PurchaseOrderView } from '../../../src-shared/sync';
import { openTill, type Till } from '../../../src-main/core/open-till';
import { createFileVault } from '../../../src-main/sync/vault';
import { cancelPurchaseOrder, createPurchaseOrder, listPurchaseOrders } from '../../../src-server/admin/purchase-orders';
import { inTenant } from '../../../src-server/admin/tenant-scope';
import { createUser } from '../../../src-server/admin/users';
import { createEnrollmentCode } from '../../../src-server/devices/enrollment';
import { startCentral, type Central } from '../../sim/central';
import { seedTenant, type SeededTenant } from '../../src-server/support/seed';

/*
 * Purchase orders end to end at the till, over the real central (PGlite, HTTP
 * on loopback): an order placed centrally for this branch is pulled and listed
 * among the expected deliveries; receiving it sends a `receive` naming its ref
 * with the ordered quantities as expected, it leaves the list at once, and
 * central marks it received. A cancelled order leaves the list at the next sync.
 */
let central: Central;
let shop: SeededTenant;
let dir: string;
let till: Till;
const w = (i: number) => shop.warehouseIds[i] ?? '';
const p = (i: number) => shop.productIds[i] ?? '';

async function placeOrder(ref: string, warehouseId: string, lines: { productId: string; ordered: number }[]): Promise<PurchaseOrderView> {
  return (await inTenant(central.db, shop.tenantId, (tx) => createPurchaseOrder(tx, shop.tenantId, { ref, warehouseId, supplier: 'Cedar Foods', lines }))).order;
}

async function expected(): Promise<ExpectedDelivery[]> {
  const r = await till.core.call('expectedDeliveries', {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function centralQuantity(productId: string): Promise<number> {
  return central.db.withTenant(shop.tenantId, async (tx) => (await tx.query<{ quantity: number }>(
    'SELECT quantity FROM inventory_levels WHERE tenant_id = $1 AND warehouse_id = $2 AND product_id = $3', [shop.tenantId, w(0), productId])).rows[0]?.quantity ?? 0);
}

beforeAll(async () => {
  central = await startCentral('pglite');
  shop = await seedTenant(central.db, { warehouses: 2, products: 3, stock: 5 });
  const code = await central.db.withTenant(shop.tenantId, (tx) => createEnrollmentCode(tx, shop.tenantId, w(0), 10));
  await inTenant(central.db, shop.tenantId, (tx) => createUser(tx, shop.tenantId, { username: 'maya', displayName: 'Maya Khoury', role: 'manager', pin: '8642' }));
  dir = mkdtempSync(join(tmpdir(), 'bp-till-po-'));
  till = await openTill({
    dataDir: dir,
    central: { vault: createFileVault(join(dir, 'vault')), enroll: { serverUrl: central.url, code: code.code, deviceName: 'till 1' }, engine: { intervalMs: 60_000 } },
  });
  await till.engine?.syncNow();
  expect(await till.core.call('signIn', { userId: 'maya', pin: '8642' })).toMatchObject({ ok: true });
}, 60_000);

afterAll(async () => {
  await till?.close();
  await central?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('purchase orders at the till', () => {
  it('lists the open orders of this branch after a sync, with their lines and ordered quantities', async () => {
    await placeOrder('PO-100', w(0), [{ productId: p(0), ordered: 6 }, { productId: p(1), ordered: 2 }]);
    await placeOrder('PO-ELSEWHERE', w(1), [{ productId: p(0), ordered: 1 }]);
    expect(await expected()).toEqual([]);
    expect(await till.core.call('syncNow', {})).toMatchObject({ ok: true });
    const list = await expected();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'purchase_order', ref: 'PO-100', fromName: 'Cedar Foods', fromWarehouseId: null });
    expect(list[0]?.lines.map((l) => [l.productId, l.expected]).sort()).toEqual([[p(0), 6], [p(1), 2]].sort());
  });

  it('receiving it sends a receive naming the ref with expected quantities; it leaves the list at once and central closes it', async () => {
    const [po] = await expected();
    if (!po) throw new Error('no order');
    const r = await till.core.call('receive', {
      opId: uuidv7(), source: { kind: 'purchase_order', purchaseOrderRef: po.ref },
      lines: po.lines.map((l) => ({ productId: l.productId, expectedQuantity: l.expected, receivedQuantity: l.productId === p(0) ? 5 : l.expected })),
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.discrepancyIds).toHaveLength(1);
    expect(await expected()).toEqual([]);
    const pending = till.store.sync.opsFromSeq(1, 100).filter((o) => o.type === 'receive');
    expect(pending.at(-1)?.payload).toMatchObject({
      source: { kind: 'purchase_order', purchaseOrderRef: 'PO-100' },
      lines: expect.arrayContaining([{ productId: p(0), expectedQuantity: 6, receivedQuantity: 5 }, { productId: p(1), expectedQuantity: 2, receivedQuantity: 2 }]),
    });

    // A page that still carries the order as open (central had not applied the receipt when it read it) does not bring it back.
    const view = (await inTenant(central.db, shop.tenantId, (tx) => listPurchaseOrders(tx, shop.tenantId, { status: 'open', warehouseId: w(0), limit: 10 })))[0];
    const state = till.store.sync.state();
    till.store.sync.applyPage({
      cursor: state.cursor ?? '', hasMore: false, serverTime: new Date().toISOString(), lastAppliedSeq: state.last_applied_seq,
      warehouses: [], products: [], exchangeRates: [], levels: [], transfers: [], reservations: [], discrepancies: [], followUps: [], purchaseOrders: view ? [view] : [],
    });
    expect(view?.ref).toBe('PO-100');
    expect(await expected()).toEqual([]);

    expect(await till.core.call('syncNow', {})).toMatchObject({ ok: true, value: { pendingOps: 0 } });
    const all = await inTenant(central.db, shop.tenantId, (tx) => listPurchaseOrders(tx, shop.tenantId, { status: 'all', limit: 10 }));
    expect(all.map((o) => [o.ref, o.status]).sort()).toEqual([['PO-100', 'received'], ['PO-ELSEWHERE', 'open']]);
    expect([await centralQuantity(p(0)), await centralQuantity(p(1))]).toEqual([10, 7]);
    expect(await expected()).toEqual([]);
  });

  it('an order cancelled centrally leaves the list at the next sync', async () => {
    const po = await placeOrder('PO-101', w(0), [{ productId: p(2), ordered: 3 }]);
    await till.core.call('syncNow', {});
    expect((await expected()).map((d) => d.ref)).toEqual(['PO-101']);
    await inTenant(central.db, shop.tenantId, (tx) => cancelPurchaseOrder(tx, shop.tenantId, po.purchaseOrderId));
    await till.core.call('syncNow', {});
    expect(await expected()).toEqual([]);
  });
});
