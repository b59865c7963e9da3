import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { CatalogProduct } from '../../../src-shared/branch-inputs';
import { uuidv7 } from '../../../src-shared/ids';
import { openBranchStore, type BranchStore, type BranchStoreOptions } from '../../../src-main/store';

/** 'test': cleaned up after the test that made it; 'suite': after the describe block that made it. */
export type Lifetime = 'test' | 'suite';
const after = (lifetime: Lifetime) => (lifetime === 'test' ? afterEach : afterAll);

/** A temp folder, removed when its lifetime ends. */
export function tempDir(lifetime: Lifetime = 'test'): string {
  const dir = mkdtempSync(join(tmpdir(), 'branchpos-store-'));
  after(lifetime)(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const TENANT = '018f0000-0000-7000-8000-000000000001';
export const WAREHOUSE = '018f0000-0000-7000-8000-000000000002';
export const DEVICE = '018f0000-0000-7000-8000-000000000003';
export const OTHER_WAREHOUSE = '018f0000-0000-7000-8000-000000000004';

export function product(i: number, over: Partial<CatalogProduct> = {}): CatalogProduct {
  return {
    id: uuidv7(), sku: `SKU-${String(i).padStart(6, '0')}`, barcodes: [`629${String(i).padStart(10, '0')}`],
    nameEn: `Product ${i}`, nameAr: `منتج ${i}`, priceMinor: 100 * (i + 1), currency: 'USD', taxClass: 'standard',
    active: true, reorderLevel: 5, ...over,
  };
}

export interface Fixture { store: BranchStore; file: string; dir: string; products: CatalogProduct[] }

/** A store on a real file with `n` products at `stock` units each and a second known warehouse. */
export function openFixture(n = 3, stock = 10, options: Partial<BranchStoreOptions> = {}, lifetime: Lifetime = 'test'): Fixture {
  const dir = tempDir(lifetime);
  const file = join(dir, 'branch.sqlite');
  const store = openBranchStore({ file, tenantId: TENANT, warehouseId: WAREHOUSE, deviceId: DEVICE, ...options });
  after(lifetime)(() => store.close());
  const products = Array.from({ length: n }, (_, i) => product(i));
  store.upsertProducts(products);
  store.upsertWarehouses([{ id: OTHER_WAREHOUSE, code: 'ZAHLE', name: 'Zahle branch', kind: 'store', timezone: 'Asia/Beirut' }]);
  if (stock > 0) store.setOpeningStock(products.map((p) => ({ productId: p.id, quantity: stock })));
  return { store, file, dir, products };
}

export const cash = (amountMinor: number) => ({ method: 'cash' as const, currency: 'USD' as const, amountMinor });
export const actor = 'cashier-1';

/** Every row of every table, to prove an operation left the database untouched. */
export function dump(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    return Object.fromEntries(tables.map((t) => [t.name, db.prepare(`SELECT * FROM "${t.name}" ORDER BY 1, 2`).all()]));
  } finally {
    db.close();
  }
}

export function level(store: BranchStore, productId: string) {
  const r = store.stockList({ limit: 500, includeInactive: true }).rows.find((x) => x.productId === productId);
  if (!r) throw new Error(`no stock row for ${productId}`);
  return r;
}

/** Runs fn expecting a DomainError with this code; returns it. */
export function expectDomainError(fn: () => unknown, code: string): { code: string; details: unknown; message: string } {
  try {
    fn();
  } catch (e) {
    const err = e as { code?: string; details?: unknown; message: string; name?: string };
    if (err.name !== 'DomainError' || err.code !== code) throw new Error(`expected DomainError ${code}, got ${err.name} ${err.code}: ${err.message}`);
    return { code: err.code, details: err.details, message: err.message };
  }
  throw new Error(`expected DomainError ${code}, nothing thrown`);
}
