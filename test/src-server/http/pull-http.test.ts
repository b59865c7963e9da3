import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponse } from '../../../src-shared/sync';
import { databaseKinds } from '../support/databases';
import { seedTenant, type SeededTenant } from '../support/seed';
import { startHarness, type Harness } from './harness';

describe.each(databaseKinds)('GET /v1/sync/pull over HTTP (%s)', (kind) => {
  let h: Harness;
  let a: SeededTenant;
  let b: SeededTenant;
  const pull = (t: SeededTenant, qs = '') => h.call('GET', `/v1/sync/pull${qs}`, { token: t.devices[0]?.token });

  beforeAll(async () => {
    h = await startHarness(kind);
    a = await seedTenant(h.tdb.db, { name: 'A', warehouses: 2, products: 3 });
    b = await seedTenant(h.tdb.db, { name: 'B', warehouses: 1, products: 2 });
  });
  afterAll(async () => { await h.close(); });

  it('answers the device\'s tenant only, in the shared schema', async () => {
    const r = await pull(a);
    expect(r.status).toBe(200);
    const page = PullResponse.parse(r.json);
    expect(page.products.map((p) => p.id).sort()).toEqual([...a.productIds].sort());
    expect(page.warehouses.map((w) => w.id).sort()).toEqual([...a.warehouseIds].sort());
    const foreign = new Set([b.tenantId, ...b.warehouseIds, ...b.productIds]);
    expect(JSON.stringify(page).split('"').some((s) => foreign.has(s))).toBe(false);
  });

  it('pages with the returned cursor until hasMore is false, and every row comes once', async () => {
    const seen: string[] = [];
    let qs = '?limit=2';
    for (let i = 0; i < 50; i += 1) {
      const page = PullResponse.parse((await pull(a, qs)).json);
      seen.push(...page.products.map((p) => `p:${p.id}`), ...page.levels.map((l) => `l:${l.warehouseId}:${l.productId}`), ...page.warehouses.map((w) => `w:${w.id}`));
      if (!page.hasMore) break;
      qs = `?limit=2&cursor=${encodeURIComponent(page.cursor)}`;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((s) => s.startsWith('p:'))).toHaveLength(3);
    expect(seen.filter((s) => s.startsWith('l:'))).toHaveLength(6);
  });

  it('refuses bad queries with 400 and no token with 401', async () => {
    for (const qs of ['?limit=0', '?limit=abc', '?limit=1.5', '?limit=999999', `?cursor=${'x'.repeat(300)}`, '?cursor=not-a-cursor']) {
      const r = await pull(a, qs);
      expect(r.status, qs).toBe(400);
      expect(r.json.code, qs).toBe('validation');
    }
    expect((await h.call('GET', '/v1/sync/pull')).status).toBe(401);
  });
});
