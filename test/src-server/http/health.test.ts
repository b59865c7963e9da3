import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases';
import { startHarness, type Harness } from './harness';

describe.each(databaseKinds)('health, readiness, metrics and docs (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(kind); });
  afterAll(async () => { await h.close(); });

  it('answers /healthz and /readyz when the database is migrated', async () => {
    expect((await h.call('GET', '/healthz')).json).toEqual({ status: 'ok' });
    const ready = await h.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ status: 'ready', database: kind });
  });

  it('serves Prometheus metrics with request counts by route and status', async () => {
    await h.call('GET', '/healthz');
    await h.call('GET', '/v1/admin/tenants');
    const m = await h.call('GET', '/metrics');
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(m.text).toMatch(/branchpos_http_requests_total\{method="GET",route="\/healthz",status="200"\} [1-9]/);
    expect(m.text).toMatch(/branchpos_http_requests_total\{method="GET",route="\/v1\/admin\/tenants",status="401"\} 1/);
    expect(m.text).toMatch(/branchpos_http_request_duration_seconds_bucket\{method="GET",route="\/healthz",le="\+Inf"\} [1-9]/);
  });

  it('publishes an OpenAPI document generated from the route schemas, and a docs page', async () => {
    const doc = await h.call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    expect((doc.json.info as { description: string }).description).toContain('| insufficient_stock | 409 |');
    const paths = doc.json.paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> }; security?: unknown[] }>>;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/v1/devices/enroll', '/v1/admin/tenants/{tenantId}/products/import']));
    const enroll = paths['/v1/devices/enroll']?.post;
    expect(Object.keys(enroll?.requestBody?.content['application/json']?.schema.properties ?? {})).toEqual(['code', 'deviceName']);
    expect(paths['/v1/admin/tenants']?.post?.security).toEqual([{ adminToken: [] }]);
    expect(Object.keys(paths['/v1/admin/tenants/{tenantId}/products/import']?.post?.requestBody?.content ?? {})).toEqual(['text/csv']);
    expect(paths['/healthz']).toBeUndefined();
    const page = await h.call('GET', '/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/swagger/i);
  });

  it('guards every admin route with the admin token and every sync route with a device token', async () => {
    const doc = await h.call('GET', '/openapi.json');
    const paths = doc.json.paths as Record<string, Record<string, { security?: unknown[] }>>;
    const ops = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, security: op.security })));
    expect(ops.length).toBeGreaterThan(25);
    const ids = Object.values(paths).flatMap((methods) => Object.values(methods).map((op) => (op as { operationId?: string }).operationId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('postSyncPush');
    for (const op of ops) {
      const expected = op.path.startsWith('/v1/admin/') ? [{ adminToken: [] }]
        : op.path.startsWith('/v1/sync/') || op.path === '/v1/devices/me' ? [{ deviceToken: [] }]
        : undefined;
      expect(op.security, `${op.method} ${op.path}`).toEqual(expected);
    }
    // And the documentation matches behaviour: without a token every guarded route refuses.
    for (const op of ops.filter((o) => o.security)) {
      const url = op.path.replace(/\{[^}]+\}/g, '0190f0f0-0000-7000-8000-000000000001');
      const r = await h.call(op.method.toUpperCase(), url);
      expect(r.status, `${op.method} ${op.path}`).toBe(401);
    }
  });

  it('gzips large answers for clients that accept it, and only for them', async () => {
    const zipped = await fetch(`${h.base}/openapi.json`, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect((await zipped.json() as { openapi: string }).openapi).toBe('3.1.0');
    const plain = await fetch(`${h.base}/openapi.json`, { headers: { 'accept-encoding': 'gzip;q=0, identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    const small = await fetch(`${h.base}/healthz`, { headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers.get('content-encoding')).toBeNull();
  });
});
