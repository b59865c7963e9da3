import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { MAX_PUSH_BATCH } from '../../../src-shared/sync';
import { databaseKinds } from '../support/databases';
import { seedTenant, type SeededTenant } from '../support/seed';
import { startHarness, type Harness } from './harness';

/* The sync routes over HTTP: auth from the token, input refused before anything is applied, the core's outcomes mapped to statuses. */

function sale(seq: number, productId: string, quantity: unknown = 1) {
  return {
    opId: uuidv7(), seq, occurredAt: new Date().toISOString(), type: 'sale',
    payload: { saleId: uuidv7(), receiptNo: seq, currency: 'USD', lines: [{ productId, quantity, unitPriceMinor: 250, taxRateBp: 1100 }], payments: [{ method: 'cash', currency: 'USD', amountMinor: 278 }] },
  };
}

describe.each(databaseKinds)('sync routes over HTTP (%s)', (kind) => {
  let h: Harness;
  let a: SeededTenant;
  let b: SeededTenant;
  const level = async (t: SeededTenant, w: number, p: number) => {
    const r = await h.tdb.db.withTenant(t.tenantId, (tx) => tx.query<{ quantity: number }>(
      'SELECT quantity FROM inventory_levels WHERE tenant_id = $1 AND warehouse_id = $2 AND product_id = $3', [t.tenantId, t.warehouseIds[w], t.productIds[p]]));
    return r.rows[0]?.quantity;
  };
  const lastSeq = async (t: SeededTenant, d: number) => {
    const r = await h.tdb.db.withTenant(t.tenantId, (tx) => tx.query<{ s: string }>(
      'SELECT last_applied_seq::text AS s FROM devices WHERE tenant_id = $1 AND id = $2', [t.tenantId, t.devices[d]?.deviceId]));
    return Number(r.rows[0]?.s);
  };
  const push = (t: SeededTenant, d: number, ops: unknown[]) => h.call('POST', '/v1/sync/push', { body: { ops }, token: t.devices[d]?.token });

  beforeAll(async () => {
    h = await startHarness(kind, { bodyLimitBytes: 256 * 1024 });
    a = await seedTenant(h.tdb.db, { name: 'A', warehouses: 2, products: 2, stock: 10 });
    b = await seedTenant(h.tdb.db, { name: 'B', warehouses: 1, products: 1, stock: 10 });
  });
  afterAll(async () => { await h.close(); });

  it('applies a pushed sale for the token\'s warehouse and answers the stored result on a resend', async () => {
    const op = sale(1, a.productIds[0] as string, 3);
    const r = await push(a, 0, [op]);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ lastAppliedSeq: 1, results: [{ opId: op.opId, seq: 1, status: 'applied' }] });
    expect(await level(a, 0, 0)).toBe(7);
    expect(await level(a, 1, 0)).toBe(10);
    const again = await push(a, 0, [op]);
    expect(again.json).toEqual(r.json);
    expect(await level(a, 0, 0)).toBe(7);
  });

  it('refuses a gap with 409 and the expected seq, and a reused op id with 422', async () => {
    const gap = await push(a, 0, [sale(5, a.productIds[0] as string)]);
    expect(gap.status).toBe(409);
    expect(gap.json).toMatchObject({ code: 'sequence_gap', details: { expectedSeq: 2 } });
    const first = sale(2, a.productIds[0] as string);
    expect((await push(a, 0, [first])).status).toBe(200);
    const conflict = await push(a, 0, [{ ...first, payload: { ...first.payload, receiptNo: 99 } }]);
    expect(conflict.status).toBe(422);
    expect(conflict.json.code).toBe('op_conflict');
    expect(await lastSeq(a, 0)).toBe(2);
    expect(await level(a, 0, 0)).toBe(6);
  });

  it('refuses pushes without a valid, unrevoked device token', async () => {
    const op = sale(1, a.productIds[1] as string);
    expect((await h.call('POST', '/v1/sync/push', { body: { ops: [op] } })).status).toBe(401);
    expect((await h.call('POST', '/v1/sync/push', { body: { ops: [op] }, token: `${a.devices[1]?.token.slice(0, -2)}xx` })).status).toBe(401);
    expect((await h.call('POST', '/v1/sync/push', { body: { ops: [op] }, token: 'test-admin-token-0123456789abcdef' })).status).toBe(401);
    await h.admin('POST', `/v1/admin/tenants/${a.tenantId}/devices/${a.devices[1]?.deviceId}/revoke`);
    const revoked = await push(a, 1, [op]);
    expect(revoked.status).toBe(401);
    expect(await lastSeq(a, 1)).toBe(0);
    expect(await level(a, 1, 1)).toBe(10);
  });

  it('a device of tenant A cannot reach tenant B: B\'s products and warehouses are unknown to it', async () => {
    const foreignProduct = await push(a, 0, [sale(3, b.productIds[0] as string)]);
    expect(foreignProduct.status).toBe(200);
    expect(foreignProduct.json).toMatchObject({ results: [{ status: 'refused', error: { code: 'unknown_product' } }] });
    const transfer = {
      opId: uuidv7(), seq: 4, occurredAt: new Date().toISOString(), type: 'transfer_out',
      payload: { transferId: uuidv7(), toWarehouseId: b.warehouseIds[0], lines: [{ productId: a.productIds[0], quantity: 1 }] },
    };
    const t = await push(a, 0, [transfer]);
    expect(t.json).toMatchObject({ results: [{ status: 'refused', error: { code: 'unknown_warehouse' } }] });
    expect(await level(b, 0, 0)).toBe(10);
    expect(await level(a, 0, 0)).toBe(6);
    const bTransfers = await h.tdb.db.withTenant(b.tenantId, (tx) => tx.query('SELECT 1 FROM transfers WHERE tenant_id = $1', [b.tenantId]));
    expect(bTransfers.rowCount).toBe(0);
    // The tenant and warehouse in a body are never read: extra fields change nothing.
    const smuggled = { ...sale(5, a.productIds[0] as string), tenantId: b.tenantId, warehouseId: b.warehouseIds[0] };
    const s = await h.call('POST', '/v1/sync/push', { body: { ops: [smuggled], tenantId: b.tenantId }, token: a.devices[0]?.token });
    expect(s.status).toBe(200);
    expect(await level(a, 0, 0)).toBe(5);
    expect(await level(b, 0, 0)).toBe(10);
  });

  it('bad input is a 4xx JSON error and writes nothing', async () => {
    const seqBefore = await lastSeq(a, 0);
    const p = a.productIds[0] as string;
    const token = a.devices[0]?.token;
    const cases: { name: string; raw?: string; type?: string; body?: unknown; status: number }[] = [
      { name: 'malformed JSON', raw: '{"ops": [', status: 400 },
      { name: 'empty JSON body', raw: '', status: 400 },
      { name: 'wrong content type', raw: 'ops=1', type: 'application/x-www-form-urlencoded', status: 415 },
      { name: 'not an object', body: [1, 2], status: 400 },
      { name: 'no ops', body: { ops: [] }, status: 400 },
      { name: 'negative quantity', body: { ops: [sale(seqBefore + 1, p, -2)] }, status: 400 },
      { name: 'fractional quantity', body: { ops: [sale(seqBefore + 1, p, 1.5)] }, status: 400 },
      { name: 'quantity as a string', body: { ops: [sale(seqBefore + 1, p, '2')] }, status: 400 },
      { name: 'product id not a uuid', body: { ops: [sale(seqBefore + 1, 'PRODUCT-1')] }, status: 400 },
      { name: 'unknown op type', body: { ops: [{ ...sale(seqBefore + 1, p), type: 'steal' }] }, status: 400 },
      { name: 'a good op then a bad one', body: { ops: [sale(seqBefore + 1, p), sale(seqBefore + 2, p, 0)] }, status: 400 },
      { name: 'a NUL character in a text (PostgreSQL cannot store it)', body: { ops: [{ ...sale(seqBefore + 1, p), payload: { ...sale(seqBefore + 1, p).payload, payments: [{ method: 'card', currency: 'USD', amountMinor: 1, reference: 'ab\u0000c' }] } }] }, status: 400 },
      { name: 'batch over the limit', body: { ops: Array.from({ length: MAX_PUSH_BATCH + 1 }, (_, i) => ({ seq: i + 1 })) }, status: 400 },
      { name: 'body over the limit', raw: JSON.stringify({ ops: [], pad: 'x'.repeat(300 * 1024) }), status: 413 },
    ];
    for (const c of cases) {
      const r = c.raw !== undefined
        ? await h.call('POST', '/v1/sync/push', { raw: c.raw, type: c.type, token })
        : await h.call('POST', '/v1/sync/push', { body: c.body, token });
      expect(r.status, c.name).toBe(c.status);
      expect(typeof r.json.code, c.name).toBe('string');
      expect(typeof r.json.message, c.name).toBe('string');
    }
    expect(await lastSeq(a, 0)).toBe(seqBefore);
    expect(await level(a, 0, 0)).toBe(5);
  });

  it('counts pushed ops and batches in /metrics', async () => {
    const m = await h.call('GET', '/metrics');
    expect(m.text).toMatch(/branchpos_sync_ops_total\{status="applied"\} [1-9]/);
    expect(m.text).toMatch(/branchpos_sync_ops_total\{status="refused"\} [1-9]/);
    expect(m.text).toMatch(/branchpos_sync_push_batches_total\{result="sequence_gap"\} 1/);
    expect(m.text).toMatch(/branchpos_http_requests_total\{method="POST",route="\/v1\/sync\/push",status="400"\} [1-9]/);
  });
});
