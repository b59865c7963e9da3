import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyHttpFailure, createSyncClient } from '../../../src-main/sync/client';
import { adjustOp } from './ops';
import { startProtocolServer, type ProtocolServer } from './protocol-server';

let server: ProtocolServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('sync client', () => {
  it('pushes, pulls and enrolls over real HTTP', async () => {
    server = await startProtocolServer();
    const reach: boolean[] = [];
    const enrolled = await createSyncClient({ baseUrl: server.url, token: () => null }).enroll('ENROLL-123456', 'Till 1');
    expect(enrolled.ok && enrolled.value.token).toBe(server.token);
    const token = server.token;
    const c = createSyncClient({ baseUrl: `${server.url}/`, token: () => token, onReach: (r) => reach.push(r) });
    const pushed = await c.push([adjustOp(1), adjustOp(2)]);
    expect(pushed.ok && pushed.value.lastAppliedSeq).toBe(2);
    const pulled = await c.pull(null, 100);
    expect(pulled.ok && pulled.value.lastAppliedSeq).toBe(2);
    expect(await c.probe()).toBe(true);
    expect(reach).toEqual([true, true, true]);
  });

  it('sorts failures: 5xx transient, 409 sequence_gap with the expected seq, other 4xx permanent', async () => {
    server = await startProtocolServer();
    const token = server.token;
    const c = createSyncClient({ baseUrl: server.url, token: () => token });
    server.failNext(1, 503);
    const r503 = await c.push([adjustOp(1)]);
    expect(r503.ok ? null : r503.failure).toMatchObject({ kind: 'transient', status: 503 });
    const gap = await c.push([adjustOp(3)]);
    expect(gap.ok ? null : gap.failure).toMatchObject({ kind: 'sequence_gap', expectedSeq: 1 });
    const badToken = await createSyncClient({ baseUrl: server.url, token: () => 'wrong' }).push([adjustOp(1)]);
    expect(badToken.ok ? null : badToken.failure).toMatchObject({ kind: 'permanent', status: 401, error: { code: 'unauthorized' } });
    const notEnrolled = await createSyncClient({ baseUrl: server.url, token: () => null }).pull(null);
    expect(notEnrolled.ok ? null : notEnrolled.failure).toMatchObject({ kind: 'permanent', error: { code: 'unauthorized' } });
  });

  it('treats an unreachable central, a hung link and an unreadable answer as transient', async () => {
    const reach: boolean[] = [];
    const down = await createSyncClient({ baseUrl: 'http://127.0.0.1:9', token: () => 't', onReach: (r) => reach.push(r) }).pull(null);
    expect(down.ok ? null : down.failure).toMatchObject({ kind: 'transient', status: null, error: { code: 'unavailable' } });
    expect(reach).toEqual([false]);

    const hung = http.createServer(() => { /* never answers */ });
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const port = (hung.address() as AddressInfo).port;
    const slow = await createSyncClient({ baseUrl: `http://127.0.0.1:${port}`, token: () => 't', timeoutMs: 200 }).pull(null);
    expect(slow.ok ? null : slow.failure).toMatchObject({ kind: 'transient', status: null });
    hung.closeAllConnections();
    hung.close();

    const odd = http.createServer((_q, s) => s.writeHead(200, { 'content-type': 'application/json' }).end('{"results":"nope"}'));
    await new Promise<void>((r) => odd.listen(0, '127.0.0.1', r));
    const p2 = (odd.address() as AddressInfo).port;
    const weird = await createSyncClient({ baseUrl: `http://127.0.0.1:${p2}`, token: () => 't' }).push([adjustOp(1)]);
    expect(weird.ok ? null : weird.failure).toMatchObject({ kind: 'transient', error: { code: 'internal' } });
    odd.closeAllConnections();
    odd.close();
  });

  it('classifies by status and code, and honours retry-after on 429', () => {
    expect(classifyHttpFailure(429, { code: 'rate_limited', message: 'slow' }, '2')).toMatchObject({ kind: 'transient', retryAfterMs: 2000 });
    expect(classifyHttpFailure(500, 'garbage')).toMatchObject({ kind: 'transient', error: { code: 'unavailable' } });
    expect(classifyHttpFailure(422, { code: 'op_conflict', message: 'x' })).toMatchObject({ kind: 'permanent', status: 422 });
    // A 409 that is not a gap (or a gap without its details) is a permanent refusal, not a resend.
    expect(classifyHttpFailure(409, { code: 'insufficient_stock', message: 'x' }).kind).toBe('permanent');
    expect(classifyHttpFailure(409, { code: 'sequence_gap', message: 'x' }).kind).toBe('permanent');
  });
});
