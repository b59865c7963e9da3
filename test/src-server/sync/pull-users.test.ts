import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponse } from '../../../src-shared/sync';
import { verifyPin } from '../../../src-server/admin/pin';
import { inTenant } from '../../../src-server/admin/tenant-scope';
import { createUser, updateUser } from '../../../src-server/admin/users';
import { pullChanges } from '../../../src-server/sync/pull';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases';
import { deviceContext } from '../support/ops';
import { seedTenant } from '../support/seed';

/* Central sends the tills their users with each pull: those of the device's warehouse and the tenant-wide ones, with the stored PIN hash. */
describe.each(databaseKinds)('pull: branch users (%s)', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase(kind); });
  afterAll(async () => { await t.drop(); });

  it('sends the warehouse\'s and tenant-wide users on the last page, active or not, never another tenant\'s', async () => {
    const s = await seedTenant(t.db, { warehouses: 2, products: 3 });
    const other = await seedTenant(t.db);
    const [w0, w1] = s.warehouseIds;
    await inTenant(t.db, s.tenantId, async (tx) => {
      await createUser(tx, s.tenantId, { username: 'maya', displayName: 'Maya Khoury', role: 'manager', pin: '8642' });
      await createUser(tx, s.tenantId, { username: 'rana', displayName: 'Rana Haddad', role: 'cashier', pin: '1357', warehouseId: w0 });
      await createUser(tx, s.tenantId, { username: 'sami', displayName: 'Sami Aoun', role: 'cashier', pin: '4826', warehouseId: w1 });
    });
    await inTenant(t.db, other.tenantId, (tx) => createUser(tx, other.tenantId, { username: 'omar', displayName: 'Omar', role: 'manager', pin: '7315' }));

    // A small page limit: only the last page carries the users.
    let cursor: string | undefined;
    let last: PullResponse | null = null;
    for (let i = 0; i < 50; i += 1) {
      const page = PullResponse.parse(await pullChanges(t.db, deviceContext(s.tenantId, s.devices[0]!), cursor, 2));
      if (page.hasMore) expect(page.users).toBeUndefined();
      cursor = page.cursor;
      if (!page.hasMore) { last = page; break; }
    }
    expect(last?.users?.map((u) => [u.username, u.role, u.active])).toEqual([['maya', 'manager', true], ['rana', 'cashier', true]]);
    const rana = last?.users?.find((u) => u.username === 'rana');
    expect(rana && await verifyPin('1357', rana.pinHash)).toBe(true);

    await inTenant(t.db, s.tenantId, (tx) => updateUser(tx, s.tenantId, rana?.id ?? '', { active: false }));
    const again = PullResponse.parse(await pullChanges(t.db, deviceContext(s.tenantId, s.devices[0]!), cursor));
    expect(again.users?.find((u) => u.username === 'rana')?.active).toBe(false);
  });
});
