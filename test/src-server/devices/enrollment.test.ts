import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, parseDeviceToken } from '../../../src-server/devices/tokens';
import { normalizeCode } from '../../../src-server/devices/enrollment';
import { databaseKinds } from '../support/databases';
import { adminTenant, enrollmentCode, type AdminTenant } from '../http/fixtures';
import { startHarness, type Harness } from '../http/harness';

describe.each(databaseKinds)('device enrollment and device tokens (%s)', (kind) => {
  let h: Harness;
  let t: AdminTenant;
  let ip = 0;
  // Behind a trusted proxy each test speaks from its own address, so the per-IP limit (3 a minute) only bites where a test means it to.
  const post = (body: unknown, from = `10.0.0.${(ip += 1)}`) => h.call('POST', '/v1/devices/enroll', { body, headers: { 'x-forwarded-for': from } });
  beforeAll(async () => {
    h = await startHarness(kind, { enrollPerIpPerMinute: 3, trustProxy: true });
    t = await adminTenant(h);
  });
  afterAll(async () => { await h.close(); });

  it('exchanges a code for a token bound to the tenant and warehouse, stored only hashed', async () => {
    const code = await enrollmentCode(h, t.tenantId, t.storeId);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    // Typed by a person: lower case, no dashes, O for 0.
    const typed = code.toLowerCase().replace(/-/g, '').replace(/0/g, 'o');
    expect(normalizeCode(typed)).toBe(normalizeCode(code));
    const r = await post({ code: typed, deviceName: 'Till 1' });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ tenantId: t.tenantId, warehouseId: t.storeId });
    const token = r.json.token as string;
    expect(parseDeviceToken(token)).toMatchObject({ tenantId: t.tenantId, deviceId: r.json.deviceId });
    const stored = await h.tdb.db.withTenant(t.tenantId, (tx) =>
      tx.query<{ token_hash: string; warehouse_id: string }>('SELECT token_hash, warehouse_id FROM devices WHERE tenant_id = $1 AND id = $2', [t.tenantId, r.json.deviceId]));
    expect(stored.rows[0]).toEqual({ token_hash: hashToken(token), warehouse_id: t.storeId });
    const codes = await h.tdb.db.withTenant(t.tenantId, (tx) => tx.query<Record<string, unknown>>('SELECT * FROM enrollment_codes WHERE tenant_id = $1', [t.tenantId]));
    expect(JSON.stringify(codes.rows)).not.toContain(normalizeCode(code));
    const who = await h.call('GET', '/v1/devices/me', { token });
    expect(who.json).toEqual({ tenantId: t.tenantId, warehouseId: t.storeId, deviceId: r.json.deviceId });
    const listed = (await h.admin('GET', `/v1/admin/tenants/${t.tenantId}/devices`)).json as unknown as { id: string; name: string; lastSeenAt: string | null }[];
    const me = listed.find((d) => d.id === r.json.deviceId);
    expect(me?.name).toBe('Till 1');
    expect(Date.now() - Date.parse(me?.lastSeenAt ?? '')).toBeLessThan(60_000);
  });

  it('a code is single use, even when two terminals race with it', async () => {
    const code = await enrollmentCode(h, t.tenantId, t.storeId);
    const [a, b] = await Promise.all([
      post({ code, deviceName: 'A' }),
      post({ code, deviceName: 'B' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 401]);
    const again = await post({ code, deviceName: 'C' });
    expect(again.status).toBe(401);
    expect(again.json.code).toBe('unauthorized');
  });

  it('an expired code is refused and creates no device', async () => {
    const code = await enrollmentCode(h, t.tenantId, t.warehouseId);
    await h.tdb.db.withTenant(t.tenantId, (tx) =>
      tx.query(`UPDATE enrollment_codes SET expires_at = now() - interval '1 second' WHERE tenant_id = $1 AND used_at IS NULL`, [t.tenantId]));
    const before = await countDevices(h, t.tenantId);
    const r = await post({ code, deviceName: 'Late' });
    expect(r.status).toBe(401);
    expect(await countDevices(h, t.tenantId)).toBe(before);
  });

  it('codes live at most 15 minutes and only for a warehouse of the tenant', async () => {
    const long = await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/enrollment-codes`, { warehouseId: t.storeId, ttlMinutes: 60 });
    expect(long.status).toBe(400);
    const other = await adminTenant(h, 'Other');
    const foreign = await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/enrollment-codes`, { warehouseId: other.storeId });
    expect(foreign.status).toBe(404);
    expect(foreign.json.code).toBe('unknown_warehouse');
    await h.admin('PATCH', `/v1/admin/tenants/${other.tenantId}/warehouses/${other.storeId}`, { active: false });
    const closed = await h.admin('POST', `/v1/admin/tenants/${other.tenantId}/enrollment-codes`, { warehouseId: other.storeId });
    expect(closed.status).toBe(409);
    expect(closed.json.code).toBe('invalid_state');
    const ok = await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/enrollment-codes`, { warehouseId: t.storeId, ttlMinutes: 5 });
    const left = Date.parse(ok.json.expiresAt as string) - Date.now();
    expect(left).toBeGreaterThan(4 * 60_000);
    expect(left).toBeLessThanOrEqual(5 * 60_000 + 5000);
  });

  it('lists pending codes (never the code itself) and withdraws one', async () => {
    const created = await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/enrollment-codes`, { warehouseId: t.storeId });
    const pending = await h.admin('GET', `/v1/admin/tenants/${t.tenantId}/enrollment-codes`);
    const mine = (pending.json as unknown as { id: string }[]).find((c) => c.id === created.json.id);
    expect(mine).toMatchObject({ id: created.json.id, warehouseId: t.storeId, expiresAt: created.json.expiresAt });
    expect(JSON.stringify(pending.json)).not.toContain(String(created.json.code));
    expect((await h.admin('DELETE', `/v1/admin/tenants/${t.tenantId}/enrollment-codes/${created.json.id}`)).status).toBe(200);
    expect((await post({ code: created.json.code, deviceName: 'Too late' })).status).toBe(401);
    expect(((await h.admin('GET', `/v1/admin/tenants/${t.tenantId}/enrollment-codes`)).json as unknown as { id: string }[]).some((c) => c.id === created.json.id)).toBe(false);
    expect((await h.admin('DELETE', `/v1/admin/tenants/${t.tenantId}/enrollment-codes/${created.json.id}`)).status).toBe(200);
    expect((await h.admin('DELETE', `/v1/admin/tenants/${t.tenantId}/enrollment-codes/0190f0f0-0000-7000-8000-000000000009`)).status).toBe(404);
  });

  it('a revoked device is refused on its very next request', async () => {
    const code = await enrollmentCode(h, t.tenantId, t.storeId);
    const e = await post({ code, deviceName: 'Stolen till' });
    const token = e.json.token as string;
    expect((await h.call('GET', '/v1/devices/me', { token })).status).toBe(200);
    const rev = await h.admin('POST', `/v1/admin/tenants/${t.tenantId}/devices/${e.json.deviceId}/revoke`);
    expect(rev.status).toBe(200);
    const after = await h.call('GET', '/v1/devices/me', { token });
    expect(after.status).toBe(401);
    expect(after.json.code).toBe('unauthorized');
    const list = await h.admin('GET', `/v1/admin/tenants/${t.tenantId}/devices`);
    const dev = (list.json as unknown as { id: string; revokedAt: string | null }[]).find((d) => d.id === e.json.deviceId);
    expect(dev?.revokedAt).toBe(rev.json.revokedAt);
  });

  it('refuses tokens that are missing, malformed, forged or pointed at another tenant', async () => {
    const mine = await enrollmentCode(h, t.tenantId, t.storeId).then((code) => post({ code, deviceName: 'X' }));
    const token = mine.json.token as string;
    const parts = token.split('.');
    const other = await adminTenant(h, 'Neighbour');
    const forged = [
      undefined,
      'garbage',
      `${parts.slice(0, 3).join('.')}.${'A'.repeat(43)}`, // right device, wrong secret
      ['bpd', other.tenantId, parts[2], parts[3]].join('.'), // same secret presented for another tenant
      `${token}x`,
    ];
    for (const f of forged) {
      const r = await h.call('GET', '/v1/devices/me', { token: f ?? null });
      expect(r.status, String(f)).toBe(401);
      expect(r.json.code).toBe('unauthorized');
    }
    // A device token is not an admin token.
    expect((await h.call('GET', '/v1/admin/tenants', { token })).status).toBe(401);
  });

  it('rate-limits enrollment per client address', async () => {
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await post({ code: `WRONG-CODE-${i}000`, deviceName: 'guess' }, '192.0.2.7'));
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 429, 429]);
    expect(results[3]?.json.code).toBe('rate_limited');
    expect(Number(results[3]?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not held back by this one.
    expect((await post({ code: 'WRONG-CODE-9000', deviceName: 'guess' }, '192.0.2.8')).status).toBe(401);
  });

  it('limits attempts with one code value, whatever the address', async () => {
    const results = [];
    for (let i = 0; i < 7; i += 1) results.push((await post({ code: 'SAME-GUESS-0000', deviceName: 'g' })).status);
    expect(results).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});

async function countDevices(h: Harness, tenantId: string): Promise<number> {
  const r = await h.tdb.db.withTenant(tenantId, (tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM devices WHERE tenant_id = $1', [tenantId]));
  return r.rows[0]?.n ?? -1;
}
