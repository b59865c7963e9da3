import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBranchStore, type BranchStore } from '../../../src-main/store';
import { createSyncEngine } from '../../../src-main/sync/engine';
import { enrollDevice } from '../../../src-main/sync/enroll';
import { createFileVault } from '../../../src-main/sync/vault';
import { uuidv7 } from '../../../src-shared/ids';
import { startCentral, type Central } from '../../sim/central';
import { databaseKinds } from '../../src-server/support/databases';

/*
 * The branch side against the real central server (C's HTTP app on B's
 * database, loopback): enrollment with a code an administrator made, the
 * first pull bringing catalog and stock, two tills of one warehouse seeing
 * each other's sales after a pull, and a revoked device being refused.
 */

const ADMIN = 'admin-token-for-tests-0123456789';

describe.each(databaseKinds)('sync against the real central (%s)', (kind) => {
  let central: Central;
  const dirs: string[] = [];
  const stores: BranchStore[] = [];
  beforeAll(async () => {
    central = await startCentral(kind, { adminToken: ADMIN });
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await central.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${central.url}${path}`, {
      method, headers: { authorization: `Bearer ${ADMIN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : null,
    });
    expect(res.status).toBeLessThan(300);
    return res.json() as Promise<Record<string, string>>;
  };

  async function enrolledTill(tenantId: string, warehouseId: string, name: string) {
    const dir = mkdtempSync(join(tmpdir(), 'bp-central-'));
    dirs.push(dir);
    const { code } = await admin('POST', `/v1/admin/tenants/${tenantId}/enrollment-codes`, { warehouseId });
    const vault = createFileVault(join(dir, 'vault'));
    const e = await enrollDevice({ serverUrl: central.url, code: code ?? '', deviceName: name, vault });
    expect(e.warehouseId).toBe(warehouseId);
    const store = openBranchStore({ file: join(dir, 'branch.sqlite'), tenantId: e.tenantId, warehouseId: e.warehouseId, deviceId: e.deviceId });
    stores.push(store);
    const engine = createSyncEngine({ store, vault, backoff: { baseMs: 10, capMs: 50 } });
    return { store, engine, deviceId: e.deviceId };
  }

  it('enrolls two tills of one warehouse; each sees the catalog, its stock, and the other till\'s sales after a pull', async () => {
    const shop = await central.newShop({ tillsPerWarehouse: [1, 1], products: 3, stock: 10 });
    const w = shop.tenant.warehouseIds[0] ?? '';
    const p = shop.tenant.productIds[0] ?? '';
    const t1 = await enrolledTill(shop.tenant.tenantId, w, 'Till 1');
    const t2 = await enrolledTill(shop.tenant.tenantId, w, 'Till 2');
    expect(await t1.engine.syncNow()).toMatchObject({ kind: 'synced' });
    expect(await t2.engine.syncNow()).toMatchObject({ kind: 'synced' });
    expect(t1.store.lookup({ code: 'SKU-1' })).toMatchObject({ productId: p });
    const stockOf = (s: BranchStore) => s.stockList({ limit: 50 }).rows.find((r) => r.productId === p);
    expect(stockOf(t1.store)).toMatchObject({ quantity: 10, reserved: 0 });

    const cash = [{ method: 'cash' as const, currency: 'USD' as const, amountMinor: 100_000 }];
    t1.store.sell({ opId: uuidv7(), actorId: 'c1', lines: [{ productId: p, quantity: 3 }], payments: cash });
    t2.store.sell({ opId: uuidv7(), actorId: 'c2', lines: [{ productId: p, quantity: 2 }], payments: cash });
    // Till 2 has not pushed yet: till 1 sees its own sale and, after a pull, nothing of till 2's.
    await t1.engine.syncNow();
    expect(stockOf(t1.store)?.quantity).toBe(7);
    expect(stockOf(t2.store)?.quantity).toBe(8);
    await t2.engine.syncNow();
    await t1.engine.syncNow();
    expect(stockOf(t1.store)?.quantity).toBe(5);
    expect(stockOf(t2.store)?.quantity).toBe(5);
    expect(t1.engine.status.current).toMatchObject({ state: 'online', pendingOps: 0, lastError: null });
    expect(t1.store.verifyConsistency().ok).toBe(true);
    expect(t2.store.verifyConsistency().ok).toBe(true);
  });

  it('a reservation central refuses is released at the till and becomes a follow-up', async () => {
    const shop = await central.newShop({ tillsPerWarehouse: [1], products: 1, stock: 4 });
    const w = shop.tenant.warehouseIds[0] ?? '';
    const p = shop.tenant.productIds[0] ?? '';
    const t1 = await enrolledTill(shop.tenant.tenantId, w, 'Till A');
    const t2 = await enrolledTill(shop.tenant.tenantId, w, 'Till B');
    await t1.engine.syncNow();
    await t2.engine.syncNow();
    // Both tills hold 3 of the 4 units for a customer while offline: the first to reach central wins (R9).
    const customer = { name: 'Maya Khoury', phone: '+961 70 123 456' };
    t1.store.reserve({ opId: uuidv7(), actorId: 'c1', customer, lines: [{ productId: p, quantity: 3 }] });
    t2.store.reserve({ opId: uuidv7(), actorId: 'c2', customer, lines: [{ productId: p, quantity: 3 }] });
    await t1.engine.syncNow();
    await t2.engine.syncNow();
    await t1.engine.syncNow();
    const stock = (s: BranchStore) => s.stockList({ limit: 50 }).rows.find((r) => r.productId === p);
    expect(stock(t1.store)).toMatchObject({ quantity: 4, reserved: 3 });
    expect(stock(t2.store)).toMatchObject({ quantity: 4, reserved: 3 });
    expect(t2.engine.status.current.openFollowUps).toBe(1);
    // The follow-up belongs to the branch: the other till of the warehouse gets it with its pull.
    expect(t1.engine.status.current.openFollowUps).toBe(1);
    expect(t2.store.verifyConsistency().ok).toBe(true);
  });

  it('a revoked device is refused and says so, keeping its queue', async () => {
    const shop = await central.newShop({ tillsPerWarehouse: [1], products: 1, stock: 5 });
    const t = await enrolledTill(shop.tenant.tenantId, shop.tenant.warehouseIds[0] ?? '', 'Till R');
    await t.engine.syncNow();
    await admin('POST', `/v1/admin/tenants/${shop.tenant.tenantId}/devices/${t.deviceId}/revoke`);
    t.store.sell({ opId: uuidv7(), actorId: 'c1', lines: [{ productId: shop.tenant.productIds[0] ?? '', quantity: 1 }], payments: [{ method: 'cash', currency: 'USD', amountMinor: 100_000 }] });
    expect(await t.engine.syncNow()).toMatchObject({ kind: 'failed', failure: { kind: 'permanent', status: 401 } });
    expect(t.engine.status.current).toMatchObject({ pendingOps: 1, lastError: { code: 'unauthorized' } });
  });
});
