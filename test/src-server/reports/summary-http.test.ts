import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InventorySummaryRow } from '../../../src-shared/admin';
import { readInventorySummary, readInventorySummaryJson } from '../../../src-server/reports/summary';
import { ADMIN_TOKEN, startHarness, type Harness } from '../http/harness';
import { databaseKinds } from '../support/databases';
import { seedTenant, type SeededTenant } from '../support/seed';

describe.each(databaseKinds)('inventory summary over HTTP (%s)', (kind) => {
  let h: Harness;
  let a: SeededTenant;
  let b: SeededTenant;
  const get = (tenantId: string, qs = '') => h.admin('GET', `/v1/admin/tenants/${tenantId}/inventory-summary${qs}`);

  beforeAll(async () => {
    h = await startHarness(kind);
    a = await seedTenant(h.tdb.db, { warehouses: 2, products: 3, stock: 4 });
    b = await seedTenant(h.tdb.db, { warehouses: 1, products: 1, stock: 9 });
  });
  afterAll(async () => { await h.close(); });

  it('answers what the function reads, pages in product order, and shows one tenant only', async () => {
    const expected = await readInventorySummary(h.tdb.db, a.tenantId);
    expect(expected.map((r) => r.quantity)).toEqual([8, 8, 8]);
    const all = await get(a.tenantId);
    expect(all.status).toBe(200);
    expect(all.json).toEqual(expected);
    const first = expected[0]!;
    expect((await get(a.tenantId, `?productId=${first.productId}`)).json).toEqual([first]);
    expect((await get(a.tenantId, `?limit=1&after=${first.productId}`)).json).toEqual([expected[1]]);
    expect((await get(a.tenantId, `?productId=${b.productIds[0]}`)).json).toEqual([]);
  });

  it('an unknown tenant is a 404 and a tenant with nothing to show an empty list', async () => {
    const unknown = await get(randomUUID());
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ code: 'not_found' });
    const last = (await readInventorySummary(h.tdb.db, b.tenantId)).at(-1)!;
    const empty = await get(b.tenantId, `?after=${last.productId}`);
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual([]);
    expect((await get(a.tenantId, '?limit=0')).status).toBe(400);
  });

  it('sends the JSON text PostgreSQL wrote, as JSON, gzipped when large and the client accepts it', async () => {
    const big = await seedTenant(h.tdb.db, { warehouses: 1, products: 120, stock: 3 });
    const text = await readInventorySummaryJson(h.tdb.db, big.tenantId);
    expect(Buffer.byteLength(text ?? '')).toBeGreaterThan(8 * 1024);
    const url = `${h.base}/v1/admin/tenants/${big.tenantId}/inventory-summary?limit=1000`;
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const zipped = await fetch(url, { headers: { ...auth, 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await zipped.text()).toBe(text);
    const plain = await fetch(url, { headers: { ...auth, 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const rows = z.array(InventorySummaryRow).parse(await plain.json());
    expect(rows).toEqual(await readInventorySummary(h.tdb.db, big.tenantId));
    expect(rows).toHaveLength(120);
  });

  it('refuses a tenant id that is not a uuid before it reaches SQL', async () => {
    const injected = `${a.tenantId}', false); SELECT 1; --`;
    await expect((async () => h.tdb.db.withTenant(injected, async () => 1))()).rejects.toMatchObject({ code: 'validation' });
  });
});
