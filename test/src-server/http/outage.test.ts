import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases';
import { seedTenant, type SeededTenant } from '../support/seed';
import { ADMIN_TOKEN, startHarness, type Harness } from './harness';

/* With the database gone the service says so: alive, not ready, 503 "retry later" (never 401, which would make a till re-enroll). */
describe.each(databaseKinds)('database unavailable (%s)', (kind) => {
  let h: Harness;
  let s: SeededTenant;
  beforeAll(async () => {
    h = await startHarness(kind);
    s = await seedTenant(h.tdb.db, { warehouses: 1, products: 1 });
    expect((await h.call('GET', '/readyz')).status).toBe(200);
    const m = await h.call('GET', '/metrics');
    expect(m.text).toMatch(/^branchpos_outbox_backlog 0$/m);
    await h.tdb.db.close();
  });
  afterAll(async () => { await h.close(); });

  it('stays alive but not ready', async () => {
    expect((await h.call('GET', '/healthz')).status).toBe(200);
    const r = await h.call('GET', '/readyz');
    expect(r.status).toBe(503);
    expect(r.json.code).toBe('unavailable');
  });

  it('answers 503 unavailable to a device and to the admin, and still serves /metrics', async () => {
    const push = await h.call('POST', '/v1/sync/push', { token: s.devices[0]?.token, body: { ops: [{ opId: '0190f0f0-0000-7000-8000-00000000c001', seq: 1, occurredAt: new Date().toISOString(), type: 'release', payload: { reservationId: '0190f0f0-0000-7000-8000-00000000c002' } }] } });
    expect(push.status).toBe(503);
    expect(push.json.code).toBe('unavailable');
    const admin = await h.call('GET', `/v1/admin/tenants/${s.tenantId}/warehouses`, { token: ADMIN_TOKEN });
    expect(admin.status).toBe(503);
    const m = await h.call('GET', '/metrics');
    expect(m.status).toBe(200);
    expect(m.text).not.toMatch(/^branchpos_outbox_backlog \d/m);
  });
});
