import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../src-shared/sync';
import { uuidv7 } from '../../../src-shared/ids';
import { openTill, type Till } from '../../../src-main/core/open-till';
import { createFileVault } from '../../../src-main/sync/vault';
import { inTenant } from '../../../src-server/admin/tenant-scope';
import { createUser, updateUser } from '../../../src-server/admin/users';
import { createEnrollmentCode } from '../../../src-server/devices/enrollment';
import { moveStock } from '../../../src-server/transfers/central';
import { startCentral, type Central } from '../../sim/central';
import { seedTenant, type SeededTenant } from '../../src-server/support/seed';

/*
 * The till with its sync engine, over the real central (PGlite, HTTP on
 * loopback): enrolled with a one-time code, the catalog and levels arrive by
 * pull, a sale reaches central, the status the screens hear is the engine's,
 * other branches' stock is shown as of the sync, and a reservation central
 * refuses becomes a follow-up with the customer's phone.
 */
let central: Central;
let shop: SeededTenant;
let dir: string;
let till: Till;
const heard: SyncStatus[] = [];
const vaultDir = () => join(dir, 'vault');

async function centralQuantity(warehouseId: string, productId: string): Promise<number> {
  return central.db.withTenant(shop.tenantId, async (tx) => {
    const r = await tx.query<{ quantity: number }>('SELECT quantity FROM inventory_levels WHERE tenant_id = $1 AND warehouse_id = $2 AND product_id = $3',
      [shop.tenantId, warehouseId, productId]);
    return r.rows[0]?.quantity ?? 0;
  });
}

const w = (i: number) => shop.warehouseIds[i] ?? '';
const p = (i: number) => shop.productIds[i] ?? '';

beforeAll(async () => {
  central = await startCentral('pglite');
  shop = await seedTenant(central.db, { warehouses: 3, products: 5, stock: 10 });
  const code = await central.db.withTenant(shop.tenantId, (tx) => createEnrollmentCode(tx, shop.tenantId, w(0), 10));
  await inTenant(central.db, shop.tenantId, async (tx) => {
    await createUser(tx, shop.tenantId, { username: 'maya', displayName: 'Maya Khoury', role: 'manager', pin: '8642' });
    await createUser(tx, shop.tenantId, { username: 'rana', displayName: 'Rana Haddad', role: 'cashier', pin: '1357', warehouseId: w(0) });
    // Works at another branch: never sent to this till.
    await createUser(tx, shop.tenantId, { username: 'sami', displayName: 'Sami Aoun', role: 'cashier', pin: '4826', warehouseId: w(1) });
  });
  dir = mkdtempSync(join(tmpdir(), 'bp-till-sync-'));
  till = await openTill({
    dataDir: dir, seedDemo: true,
    central: {
      vault: createFileVault(vaultDir()),
      enroll: { serverUrl: central.url, code: code.code, deviceName: 'till 1' },
      engine: { intervalMs: 60_000, probeIntervalMs: 500 },
    },
  });
  till.core.subscribe((event, payload) => { if (event === 'syncStatus') heard.push(payload as SyncStatus); });
  // Users come from central only: before the first pull nobody can sign in.
  expect(till.users.list()).toEqual([]);
  await till.engine?.syncNow();
  expect(await till.core.call('signIn', { userId: 'maya', pin: '8642' })).toMatchObject({ ok: true });
}, 60_000);

afterAll(async () => {
  await till?.close();
  await central?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('till with sync', () => {
  it('takes its identity from the enrollment and pulls the catalog and levels', async () => {
    expect(till.store.deviceId).toBe(createFileVault(vaultDir()).load()?.deviceId);
    expect(till.store.warehouseId).toBe(w(0));
    const r = await till.core.call('syncNow', {});
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ state: 'online', pendingOps: 0 });
    expect(r.value.lastSyncAt).not.toBeNull();
    const page = await till.core.call('stockList', { limit: 50 });
    if (!page.ok) throw new Error(page.error.message);
    expect(page.value.rows.map((x) => [x.productId, x.quantity]).sort()).toEqual(shop.productIds.map((id) => [id, 10]).sort());
  });

  it('shows the other branches as central reported them, with the time', async () => {
    const r = await till.core.call('otherBranchesStock', { productId: p(0) });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.map((x) => x.warehouseId).sort()).toEqual([w(1), w(2)].sort());
    expect(r.value.every((x) => x.available === 10 && !Number.isNaN(Date.parse(x.asOf)))).toBe(true);
  });

  it('sends a sale to central; the screens hear the pending count rise and fall', async () => {
    heard.length = 0;
    const sale = await till.core.call('sell', { opId: uuidv7(), lines: [{ productId: p(0), quantity: 2 }], payments: [{ method: 'cash', currency: 'USD', amountMinor: 100_00 }] });
    if (!sale.ok) throw new Error(sale.error.message);
    const status = await till.core.call('syncStatus', {});
    expect(status).toMatchObject({ ok: true, value: { pendingOps: 1 } });
    expect(await till.core.call('syncNow', {})).toMatchObject({ ok: true, value: { pendingOps: 0, state: 'online' } });
    expect(await centralQuantity(w(0), p(0))).toBe(8);
    expect(heard.some((s) => s.pendingOps === 1)).toBe(true);
    expect(heard.at(-1)).toMatchObject({ pendingOps: 0 });
  });

  it('turns a reservation central refuses into a follow-up with the customer phone', async () => {
    // Another branch takes all of product 1 centrally before this till has heard of it.
    await moveStock(central.db, shop.tenantId, { fromWarehouseId: w(0), toWarehouseId: w(1), lines: [{ productId: p(1), quantity: 10 }] });
    const r = await till.core.call('reserve', { opId: uuidv7(), customer: { name: 'Nadia', phone: '+961 3 123456' }, lines: [{ productId: p(1), quantity: 3 }] });
    expect(r).toMatchObject({ ok: true });
    const after = await till.core.call('syncNow', {});
    expect(after).toMatchObject({ ok: true, value: { openFollowUps: 1, pendingOps: 0 } });
    expect(await till.core.call('followUps', {})).toMatchObject({ ok: true, value: [{ customer: { name: 'Nadia', phone: '+961 3 123456' } }] });
    expect(till.store.lookup({ code: 'SKU-2' })).toMatchObject({ quantity: 0, reserved: 0 });
  });

  it('after a restart syncs with the stored enrollment (no code needed)', async () => {
    const deviceId = till.store.deviceId;
    await till.close();
    till = await openTill({ dataDir: dir, central: { vault: createFileVault(vaultDir()), engine: { intervalMs: 60_000 } } });
    expect(till.store.deviceId).toBe(deviceId);
    await till.core.call('signIn', { userId: 'maya', pin: '8642' });
    expect(await till.core.call('syncNow', {})).toMatchObject({ ok: true, value: { state: 'online', pendingOps: 0 } });
  });

  it('keeps the users central sends: this warehouse only, a new PIN and a deactivation take effect at the next sync', async () => {
    expect(till.users.list().map((u) => u.userId).sort()).toEqual(['maya', 'rana']);
    expect(await till.core.call('signIn', { userId: 'rana', pin: '1357' })).toMatchObject({ ok: true, value: { user: { role: 'cashier', name: 'Rana Haddad' } } });
    const rana = await inTenant(central.db, shop.tenantId, async (tx) => {
      const r = await tx.query<{ id: string }>('SELECT id FROM branch_users WHERE tenant_id = $1 AND username = $2', [shop.tenantId, 'rana']);
      return r.rows[0]?.id ?? '';
    });
    await inTenant(central.db, shop.tenantId, (tx) => updateUser(tx, shop.tenantId, rana, { pin: '3579' }));
    await till.core.call('signIn', { userId: 'maya', pin: '8642' });
    await till.core.call('syncNow', {});
    expect(await till.core.call('signIn', { userId: 'rana', pin: '1357' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await till.core.call('signIn', { userId: 'rana', pin: '3579' })).toMatchObject({ ok: true });
    await inTenant(central.db, shop.tenantId, (tx) => updateUser(tx, shop.tenantId, rana, { active: false }));
    await till.core.call('syncNow', {});
    expect(till.users.list().map((u) => u.userId)).toEqual(['maya']);
    expect(await till.core.call('signIn', { userId: 'rana', pin: '3579' })).toMatchObject({ ok: false });
    // Every pull resends the users: one that changes nothing must not reset a PIN-guessing throttle.
    for (let i = 0; i < 5; i += 1) await till.core.call('signIn', { userId: 'maya', pin: '1470' });
    expect(await till.core.call('signIn', { userId: 'maya', pin: '8642' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(await till.engine?.syncNow()).toMatchObject({ kind: 'synced' });
    expect(await till.core.call('signIn', { userId: 'maya', pin: '8642' })).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });

  it('refuses syncNow on a till not enrolled with central', async () => {
    const other = mkdtempSync(join(tmpdir(), 'bp-till-nosync-'));
    const alone = await openTill({ dataDir: other, seedDemo: true, demoProducts: 5 });
    try {
      await alone.core.call('signIn', { userId: 'maya', pin: '9999' });
      expect(await alone.core.call('syncNow', {})).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
      expect(await alone.core.call('syncStatus', {})).toMatchObject({ ok: true, value: { state: 'not_enrolled' } });
    } finally {
      await alone.close();
      rmSync(other, { recursive: true, force: true });
    }
  });
});
