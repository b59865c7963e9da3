import type { Role } from '../../src-shared/primitives';
import { DEMO_TENANT_ID, DEMO_WAREHOUSES, DEMO_ZAHLE, demoCatalog } from '../../src-shared/demo/catalog';
import { uuidv7 } from '../../src-shared/ids';
import type { Operation } from '../../src-shared/operations';
import type { Database } from '../db/database';
import { createEnrollmentCode, enrollDevice, revokeDevice } from '../devices/enrollment';
import { applyProducts } from '../admin/products';
import { addExchangeRate, listExchangeRates } from '../admin/records';
import { inTenant } from '../admin/tenant-scope';
import { createTenant, createWarehouse, listWarehouses } from '../admin/tenants';
import { createUser, listUsers } from '../admin/users';
import { pushOperations } from '../sync/push';
import { moveStock } from '../transfers/central';

/*
 * `npm start`'s demo shop, made through the same admin and sync functions an
 * operator and the tills use: tenant, three branches and a depot, the shared
 * demo catalog, an LBP rate, one user of each role, and stock. Stock enters
 * the depot as a supplier delivery pushed by a one-shot loader device (the
 * only way goods enter central is an operation, so the fold holds), goes to
 * the branches by central transfers, and one transfer is left in transit to
 * Beirut. Every step checks before it writes: a second run changes nothing.
 */

export const DEMO_LBP_PER_USD = 89_500;
/** Central's PIN rule refuses repeated digits and straight runs, so these differ from the offline-only till's demo PINs. */
export const DEMO_CENTRAL_USERS: ReadonlyArray<{ username: string; displayName: string; role: Role; pin: string }> = [
  { username: 'rana', displayName: 'Rana Haddad', role: 'cashier', pin: '1357' },
  { username: 'karim', displayName: 'Karim Nassar', role: 'clerk', pin: '2468' },
  { username: 'maya', displayName: 'Maya Khoury', role: 'manager', pin: '8642' },
];
export const DEMO_BRANCHES = [DEMO_WAREHOUSES.beirut, DEMO_WAREHOUSES.tripoli, DEMO_ZAHLE] as const;

export interface DemoTenant { tenantId: string; beirutId: string; products: number; seededNow: boolean }

async function loadStock(db: Database, tenantId: string, products: ReturnType<typeof demoCatalog>): Promise<void> {
  const depot = DEMO_WAREHOUSES.depot.id;
  const code = await inTenant(db, tenantId, (tx) => createEnrollmentCode(tx, tenantId, depot, 5));
  const loader = await enrollDevice(db, code.code, 'demo stock loader');
  const device = { tenantId, warehouseId: depot, deviceId: loader.deviceId };
  const at = new Date().toISOString();
  const ops: Operation[] = [
    { opId: uuidv7(), seq: 1, type: 'receive', occurredAt: at, actorId: 'demo-loader', payload: {
      receiptId: uuidv7(), source: { kind: 'adhoc', supplier: 'Opening stock' },
      lines: products.map((p) => ({ productId: p.product.id, receivedQuantity: 400 })),
    } },
    // Left dispatched: Beirut's till lists it under Receive as an expected delivery.
    { opId: uuidv7(), seq: 2, type: 'transfer_out', occurredAt: at, actorId: 'demo-loader', payload: {
      transferId: uuidv7(), toWarehouseId: DEMO_WAREHOUSES.beirut.id,
      lines: products.slice(0, 6).map((p) => ({ productId: p.product.id, quantity: 12 })),
    } },
  ];
  const pushed = await pushOperations(db, device, ops);
  const bad = pushed.results.find((r) => r.status !== 'applied');
  if (bad) throw new Error(`demo stock could not be loaded: ${bad.error?.message ?? bad.status}`);
  for (const [i, branch] of DEMO_BRANCHES.entries()) {
    // Beirut gets the till's own demo quantities (a few low, a few empty); the others a spread of their own.
    const lines = products.map((p, n) => ({ productId: p.product.id, quantity: i === 0 ? p.openingQuantity : (n * (7 + i * 5)) % 60 }))
      .filter((l) => l.quantity > 0);
    await moveStock(db, tenantId, { fromWarehouseId: depot, toWarehouseId: branch.id, lines, note: 'demo opening stock' });
  }
  await inTenant(db, tenantId, (tx) => revokeDevice(tx, tenantId, loader.deviceId));
}

export async function seedDemoTenant(db: Database, productCount = 300): Promise<DemoTenant> {
  const tenantId = DEMO_TENANT_ID;
  const { created } = await createTenant(db, { id: tenantId, name: 'Cedar Grocers (demo)' });
  const products = demoCatalog(productCount);
  const stockNeeded = await inTenant(db, tenantId, async (tx) => {
    const have = new Set((await listWarehouses(tx, tenantId)).map((w) => w.id));
    for (const w of [...DEMO_BRANCHES, DEMO_WAREHOUSES.depot]) {
      if (!have.has(w.id)) await createWarehouse(tx, tenantId, { id: w.id, code: w.code, name: w.name, kind: w.kind, timezone: w.timezone });
    }
    await applyProducts(tx, tenantId, products.map(({ product: p }) => ({
      id: p.id, sku: p.sku, barcodes: p.barcodes ?? [], nameEn: p.nameEn, nameAr: p.nameAr ?? '', priceMinor: p.priceMinor,
      currency: p.currency, taxClass: p.taxClass ?? 'standard', active: p.active ?? true,
    })));
    if ((await listExchangeRates(tx, tenantId, 1)).length === 0) await addExchangeRate(tx, tenantId, { perUsd: DEMO_LBP_PER_USD });
    const users = new Set((await listUsers(tx, tenantId)).map((u) => u.username));
    for (const u of DEMO_CENTRAL_USERS) if (!users.has(u.username)) await createUser(tx, tenantId, u);
    // Goods ever entered the depot: the stock step ran (it is one push and three transfers, done in order).
    const moved = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM inventory_movements WHERE tenant_id = $1 AND warehouse_id = $2',
      [tenantId, DEMO_WAREHOUSES.depot.id]);
    return (moved.rows[0]?.n ?? 0) === 0;
  });
  if (stockNeeded) await loadStock(db, tenantId, products);
  return { tenantId, beirutId: DEMO_WAREHOUSES.beirut.id, products: products.length, seededNow: created || stockNeeded };
}

/** A fresh one-time code for the demo's Beirut till (used only when the till is not enrolled yet). */
export async function demoEnrollmentCode(db: Database): Promise<string> {
  return (await inTenant(db, DEMO_TENANT_ID, (tx) => createEnrollmentCode(tx, DEMO_TENANT_ID, DEMO_WAREHOUSES.beirut.id, 15))).code;
}
