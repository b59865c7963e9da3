import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPin } from '../../../src-server/admin/pin';
import { uuidv7 } from '../../../src-shared/ids';
import { databaseKinds } from '../support/databases';
import { seedTenant, type SeededTenant } from '../support/seed';
import { adminTenant, type AdminTenant } from '../http/fixtures';
import { ADMIN_TOKEN, startHarness, type Harness } from '../http/harness';

describe.each(databaseKinds)('administration routes (%s)', (kind) => {
  let h: Harness;
  let t: AdminTenant;
  let other: AdminTenant;
  beforeAll(async () => {
    h = await startHarness(kind);
    t = await adminTenant(h, 'Beirut Mart');
    other = await adminTenant(h, 'Gulf Mart');
  });
  afterAll(async () => { await h.close(); });

  it('requires the admin token', async () => {
    expect((await h.call('GET', '/v1/admin/tenants')).status).toBe(401);
    expect((await h.call('GET', '/v1/admin/tenants', { token: 'wrong-token-wrong-token-wrong' })).status).toBe(401);
    const ok = await h.admin('GET', '/v1/admin/tenants');
    expect(ok.status).toBe(200);
    expect((ok.json as unknown as { name: string }[]).map((x) => x.name)).toEqual(expect.arrayContaining(['Beirut Mart', 'Gulf Mart']));
  });

  it('creates a tenant retry-safely with a client id', async () => {
    const id = uuidv7();
    const a = await h.admin('POST', '/v1/admin/tenants', { id, name: 'Retry Shop' });
    const b = await h.admin('POST', '/v1/admin/tenants', { id, name: 'Retry Shop' });
    expect([a.status, b.status]).toEqual([201, 200]);
    expect(b.json).toEqual(a.json);
    const clash = await h.admin('POST', '/v1/admin/tenants', { id, name: 'Another name' });
    expect(clash.status).toBe(409);
  });

  it('manages warehouses with kind and time zone, refusing an unknown zone and a duplicate code', async () => {
    const list = await h.admin('GET', `/v1/admin/tenants/${t.tenantId}/warehouses`);
    expect((list.json as unknown as { code: string; kind: string; timezone: string }[]).map((w) => [w.code, w.kind, w.timezone]))
      .toEqual([['DEPOT', 'warehouse', 'Asia/Beirut'], ['HAMRA', 'store', 'Asia/Beirut']]);
    const badTz = await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/warehouses`, { code: 'X', name: 'X', kind: 'store', timezone: 'Mars/Olympus' });
    expect(badTz.status).toBe(400);
    const dupCode = await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/warehouses`, { code: 'HAMRA', name: 'Again', kind: 'store' });
    expect(dupCode.status).toBe(409);
    const patched = await h.admin('PATCH', `/v1/admin/tenants/${t.tenantId}/warehouses/${t.storeId}`, { timezone: 'Asia/Dubai', name: 'Hamra' });
    expect(patched.json).toMatchObject({ id: t.storeId, timezone: 'Asia/Dubai', name: 'Hamra', kind: 'store' });
    // Same code in another tenant is fine: codes are per tenant.
    expect((await h.admin('POST', `/v1/admin/tenants/${other.tenantId}/warehouses`, { code: 'X1', name: 'X', kind: 'store' })).status).toBe(201);
  });

  it('creates branch-app users with roles and scrypt-hashed PINs that are never answered', async () => {
    const r = await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/users`, { username: 'Rana', displayName: 'Rana K.', role: 'cashier', pin: '4826', warehouseId: t.storeId });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ username: 'rana', role: 'cashier', warehouseId: t.storeId, active: true });
    expect(JSON.stringify(r.json)).not.toMatch(/4826|scrypt/);
    const stored = await h.tdb.db.withTenant(t.tenantId, (tx) =>
      tx.query<{ pin_hash: string }>('SELECT pin_hash FROM branch_users WHERE tenant_id = $1 AND id = $2', [t.tenantId, r.json.id]));
    const hash = stored.rows[0]?.pin_hash ?? '';
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPin('4826', hash)).toBe(true);
    expect(await verifyPin('4827', hash)).toBe(false);

    const second = await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/users`, { username: 'sami', displayName: 'Sami', role: 'clerk', pin: '4826' });
    const other = await h.tdb.db.withTenant(t.tenantId, (tx) =>
      tx.query<{ pin_hash: string }>('SELECT pin_hash FROM branch_users WHERE tenant_id = $1 AND id = $2', [t.tenantId, second.json.id]));
    expect(other.rows[0]?.pin_hash).not.toBe(hash); // per-user salt

    for (const pin of ['1234', '0000', '12a4', '123']) {
      expect((await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/users`, { username: `u${pin}`, displayName: 'U', role: 'clerk', pin })).status, pin).toBe(400);
    }
    expect((await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/users`, { username: 'rana', displayName: 'R2', role: 'manager', pin: '9371' })).status).toBe(409);
    expect((await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/users`, { username: 'boss', displayName: 'B', role: 'owner', pin: '9371' })).status).toBe(400);

    const promoted = await h.admin('PATCH', `/v1/admin/tenants/${t.tenantId}/users/${r.json.id}`, { role: 'manager', warehouseId: null });
    expect(promoted.json).toMatchObject({ role: 'manager', warehouseId: null });
    const users = await h.admin('GET', `/v1/admin/tenants/${t.tenantId}/users`);
    expect((users.json as unknown as { username: string }[]).map((u) => u.username)).toEqual(['rana', 'sami']);
  });

  it('records LBP exchange rates, newest first', async () => {
    await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/exchange-rates`, { perUsd: 89000, effectiveAt: '2026-11-01T00:00:00Z' });
    const r = await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/exchange-rates`, { perUsd: 89500 });
    expect(r.status).toBe(201);
    const list = await h.admin('GET', `/v1/admin/tenants/${t.tenantId}/exchange-rates`);
    expect((list.json as unknown as { perUsd: number }[]).map((x) => x.perUsd)).toEqual([89500, 89000]);
    for (const perUsd of [0, -5, 1.5, '89000']) {
      expect((await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/exchange-rates`, { perUsd })).status).toBe(400);
    }
  });

  it('bad input to admin routes is a 4xx JSON error and writes nothing', async () => {
    const before = JSON.stringify((await h.admin('GET', `/v1/admin/tenants/${t.tenantId}/warehouses`)).json);
    const W = `/v1/admin/tenants/${t.tenantId}/warehouses`;
    const cases: [string, string, { body?: unknown; raw?: string }, number][] = [
      ['POST', W, { raw: '{"code": "X",' }, 400],
      ['POST', W, { raw: 'null' }, 400],
      ['POST', W, { body: { code: 'X2', name: 'X', kind: 'shop' } }, 400],
      ['POST', W, { body: { code: 'has space', name: 'X', kind: 'store' } }, 400],
      ['POST', W, { body: { code: 'X3', name: '', kind: 'store' } }, 400],
      ['POST', W, { body: { code: 'X4', name: 'X'.repeat(121), kind: 'store' } }, 400],
      ['POST', '/v1/admin/tenants/not-a-uuid/warehouses', { body: { code: 'X5', name: 'X', kind: 'store' } }, 400],
      ['PATCH', `${W}/${t.storeId}`, { body: {} }, 400],
      ['PUT', `/v1/admin/tenants/${t.tenantId}/products`, { body: { products: [{ sku: 'P', nameEn: 'P', priceMinor: -1, currency: 'USD' }] } }, 400],
      ['PUT', `/v1/admin/tenants/${t.tenantId}/products`, { body: { products: [{ sku: 'P', nameEn: 'P', priceMinor: 1.5, currency: 'USD' }] } }, 400],
      ['PUT', `/v1/admin/tenants/${t.tenantId}/products`, { body: { products: [{ sku: 'P', nameEn: 'P', priceMinor: 100, currency: 'EUR' }] } }, 400],
      ['POST', `/v1/admin/tenants/${t.tenantId}/enrollment-codes`, { body: { warehouseId: t.storeId, ttlMinutes: 2.5 } }, 400],
      ['POST', `/v1/admin/tenants/${t.tenantId}/enrollment-codes`, { body: { warehouseId: uuidv7() } }, 404],
      ['GET', `/v1/admin/tenants/${t.tenantId}/products?limit=-1`, {}, 400],
      ['GET', `/v1/admin/tenants/${t.tenantId}/nothing-here`, {}, 404],
      ['POST', W, { body: { code: 'NUL', name: 'Null\u0000byte', kind: 'store' } }, 400],
      ['GET', `/v1/admin/tenants/${'a'.repeat(300)}/warehouses`, {}, 414],
      ['GET', '/v1/admin/tenants/%E0%A4%A/warehouses', {}, 400],
    ];
    for (const [method, path, opts, status] of cases) {
      const r = opts.raw !== undefined
        ? await h.call(method, path, { raw: opts.raw, token: ADMIN_TOKEN })
        : await h.admin(method, path, opts.body);
      expect(r.status, `${method} ${path} ${JSON.stringify(opts)}`).toBe(status);
      expect(typeof r.json.code).toBe('string');
      expect(typeof r.json.message).toBe('string');
    }
    expect(JSON.stringify((await h.admin('GET', `/v1/admin/tenants/${t.tenantId}/warehouses`)).json)).toBe(before);
    expect(((await h.admin('GET', `/v1/admin/tenants/${t.tenantId}/products`)).json as unknown as unknown[]).length).toBe(0);
  });

  it('ids of another tenant are not found and nothing is written', async () => {
    const before = await h.admin('GET', `/v1/admin/tenants/${t.tenantId}/users`);
    const cases: [string, string, unknown][] = [
      ['PATCH', `/v1/admin/tenants/${other.tenantId}/warehouses/${t.storeId}`, { name: 'Hijacked' }],
      ['POST', `/v1/admin/tenants/${other.tenantId}/users`, { username: 'mole', displayName: 'M', role: 'manager', pin: '8264', warehouseId: t.storeId }],
      ['POST', `/v1/admin/tenants/${other.tenantId}/enrollment-codes`, { warehouseId: t.storeId }],
      ['POST', `/v1/admin/tenants/${other.tenantId}/devices/${uuidv7()}/revoke`, undefined],
      ['PATCH', `/v1/admin/tenants/${other.tenantId}/users/${(before.json as unknown as { id: string }[])[0]?.id}`, { role: 'cashier' }],
      ['GET', `/v1/admin/tenants/${uuidv7()}/warehouses`, undefined],
    ];
    for (const [method, path, body] of cases) {
      const r = await h.admin(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(String(r.json.code)).toMatch(/^(not_found|unknown_warehouse)$/);
    }
    const store = (await h.admin('GET', `/v1/admin/tenants/${t.tenantId}/warehouses`)).json as unknown as { id: string; name: string }[];
    expect(store.find((w) => w.id === t.storeId)?.name).toBe('Hamra');
    expect((await h.admin('GET', `/v1/admin/tenants/${other.tenantId}/users`)).json).toEqual([]);
    expect((await h.admin('GET', `/v1/admin/tenants/${t.tenantId}/users`)).json).toEqual(before.json);
  });
});

describe.each(databaseKinds)('discrepancy and follow-up lists (%s)', (kind) => {
  let h: Harness;
  let s: SeededTenant;
  beforeAll(async () => {
    h = await startHarness(kind);
    s = await seedTenant(h.tdb.db, { warehouses: 2, products: 2 });
    await h.tdb.db.withTenant(s.tenantId, async (tx) => {
      await tx.query(`INSERT INTO discrepancies (tenant_id, id, warehouse_id, product_id, kind, quantity) VALUES ($1, $2, $3, $4, 'negative_stock', -2), ($1, $5, $6, $4, 'short_receipt', 3)`,
        [s.tenantId, uuidv7(), s.warehouseIds[0], s.productIds[0], uuidv7(), s.warehouseIds[1]]);
      await tx.query(`INSERT INTO reservations (tenant_id, id, warehouse_id, device_id, op_id, status, customer, reason) VALUES ($1, $2, $3, $4, $5, 'refused', $6, 'insufficient stock')`,
        [s.tenantId, '0190f0f0-0000-7000-8000-0000000000aa', s.warehouseIds[0], s.devices[0]?.deviceId, uuidv7(), JSON.stringify({ name: 'Maya', phone: '+961 3 123456' })]);
      await tx.query(`INSERT INTO follow_ups (tenant_id, id, warehouse_id, reservation_id, customer, reason) VALUES ($1, $2, $3, $4, $5, 'insufficient stock')`,
        [s.tenantId, uuidv7(), s.warehouseIds[0], '0190f0f0-0000-7000-8000-0000000000aa', JSON.stringify({ name: 'Maya', phone: '+961 3 123456' })]);
    });
  });
  afterAll(async () => { await h.close(); });

  it('lists open discrepancies by warehouse and resolves them once', async () => {
    const all = await h.admin('GET', `/v1/admin/tenants/${s.tenantId}/discrepancies`);
    expect((all.json as unknown as unknown[]).length).toBe(2);
    const one = await h.admin('GET', `/v1/admin/tenants/${s.tenantId}/discrepancies?warehouseId=${s.warehouseIds[0]}`);
    const [d] = one.json as unknown as { id: string; kind: string; quantity: number }[];
    expect(d).toMatchObject({ kind: 'negative_stock', quantity: -2 });
    const done = await h.admin('POST', `/v1/admin/tenants/${s.tenantId}/discrepancies/${d?.id}/resolve`, { by: 'manager-1', note: 'recounted' });
    expect(done.status).toBe(200);
    const again = await h.admin('POST', `/v1/admin/tenants/${s.tenantId}/discrepancies/${d?.id}/resolve`, { by: 'manager-2' });
    expect(again.json.closedAt).toBe(done.json.closedAt);
    expect(((await h.admin('GET', `/v1/admin/tenants/${s.tenantId}/discrepancies`)).json as unknown as unknown[]).length).toBe(1);
    expect(((await h.admin('GET', `/v1/admin/tenants/${s.tenantId}/discrepancies?status=closed`)).json as unknown as unknown[]).length).toBe(1);
    expect((await h.admin('GET', `/v1/admin/tenants/${s.tenantId}/discrepancies?status=bogus`)).status).toBe(400);
  });

  it('lists follow-ups with the customer to call, and closes them', async () => {
    const list = await h.admin('GET', `/v1/admin/tenants/${s.tenantId}/follow-ups`);
    const [f] = list.json as unknown as { id: string; customer: { name: string; phone: string } }[];
    expect(f?.customer).toEqual({ name: 'Maya', phone: '+961 3 123456' });
    expect((await h.admin('POST', `/v1/admin/tenants/${s.tenantId}/follow-ups/${f?.id}/close`, { by: 'manager-1' })).status).toBe(200);
    expect((await h.admin('GET', `/v1/admin/tenants/${s.tenantId}/follow-ups`)).json).toEqual([]);
    expect((await h.admin('POST', `/v1/admin/tenants/${s.tenantId}/follow-ups/${uuidv7()}/close`, { by: 'm' })).status).toBe(404);
  });
});
