import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminToken, readStoredAdminHash } from '../../../src-server/admin/admin-token';
import { hashToken } from '../../../src-server/devices/tokens';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases';
import { seedTenant } from '../support/seed';

describe.each(databaseKinds)('the admin token (%s)', (kind) => {
  let tdb: TestDatabase;
  beforeAll(async () => { tdb = await createTestDatabase(kind); });
  afterAll(async () => { await tdb.drop(); });

  it('is generated once, stored only as a hash, replaced on rotation, and overridden by the environment', async () => {
    const first = await ensureAdminToken(tdb.db, undefined);
    expect(first.generated).toMatch(/^bpa\.[A-Za-z0-9_-]{43}$/);
    expect(await readStoredAdminHash(tdb.db)).toBe(hashToken(first.generated as string));
    const again = await ensureAdminToken(tdb.db, undefined);
    expect(again).toEqual({ hash: first.hash, generated: null });

    const rotated = await ensureAdminToken(tdb.db, undefined, true);
    expect(rotated.generated).not.toBe(first.generated);
    expect(await readStoredAdminHash(tdb.db)).toBe(hashToken(rotated.generated as string));

    const env = await ensureAdminToken(tdb.db, 'from-the-environment-0123456789');
    expect(env).toEqual({ hash: hashToken('from-the-environment-0123456789'), generated: null });
    expect(await readStoredAdminHash(tdb.db)).toBe(rotated.hash);
  });

  it('cannot be read or replaced from inside a tenant transaction', async () => {
    const s = await seedTenant(tdb.db, { warehouses: 1, products: 1, stock: 0 });
    const seen = await tdb.db.withTenant(s.tenantId, (tx) => tx.query('SELECT token_hash FROM admin_credentials'));
    expect(seen.rowCount).toBe(0);
    await expect(tdb.db.withTenant(s.tenantId, (tx) =>
      tx.query(`INSERT INTO admin_credentials (id, token_hash) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash`, ['0'.repeat(64)])))
      .rejects.toThrow(/row-level security/);
    expect(await readStoredAdminHash(tdb.db)).not.toBe('0'.repeat(64));
  });
});
