import type { BranchStore } from '../store/index';
import type { Users } from '../users/users';
import { DEMO_WAREHOUSES, demoCatalog } from './catalog';

export const DEMO_USERS = [
  { userId: 'rana', name: 'Rana Haddad', role: 'cashier', pin: '1111' },
  { userId: 'karim', name: 'Karim Nassar', role: 'clerk', pin: '2222' },
  { userId: 'maya', name: 'Maya Khoury', role: 'manager', pin: '9999' },
] as const;

export interface SeedResult { products: number; users: typeof DEMO_USERS; seededNow: boolean }

/**
 * Loads the demo catalog, the other warehouses and the demo users. Idempotent:
 * a till that already has the catalog is left as it is (stock that moved by
 * selling is not reset), so restarting never undoes the day's work.
 */
export async function seedDemo(store: BranchStore, users: Users, productCount = 300): Promise<SeedResult> {
  const already = store.stockList({ limit: 1 }).rows.length > 0;
  if (!already) {
    const catalog = demoCatalog(productCount);
    store.upsertWarehouses(Object.values(DEMO_WAREHOUSES));
    store.upsertProducts(catalog.map((c) => c.product));
    store.setOpeningStock(catalog.map((c) => ({ productId: c.product.id, quantity: c.openingQuantity })));
  }
  const existing = new Set(users.list().map((u) => u.userId));
  for (const u of DEMO_USERS) if (!existing.has(u.userId)) await users.upsert(u);
  return { products: productCount, users: DEMO_USERS, seededNow: !already };
}
