import { afterEach, describe, expect, it } from 'vitest';
import { createSyncClient } from '../../../src-main/sync/client';
import { pushPending, type OutboxPort } from '../../../src-main/sync/push';
import type { Operation } from '../../../src-shared/operations';
import type { OpResult } from '../../../src-shared/sync';
import { adjustOp } from './ops';
import { startProtocolServer, type ProtocolServer } from './protocol-server';

/*
 * The push loop against a real HTTP server that keeps the protocol's seq and
 * idempotency rules. The outbox here is a list with the store's semantics
 * (pending in seq order, markSynced only changes pending rows); the loop over
 * the real SQLite store is covered by the simulation.
 */
function listOutbox(n: number) {
  const rows = Array.from({ length: n }, (_, i) => ({ op: adjustOp(i + 1), result: null as OpResult | null }));
  let crashAfterServer = false;
  const port: OutboxPort & { rows: typeof rows; crashNextMark(): void } = {
    rows,
    pendingOps: (limit) => rows.filter((r) => r.result === null).slice(0, limit).map((r) => r.op),
    markSynced: (results) => {
      if (crashAfterServer) {
        crashAfterServer = false;
        throw new Error('power cut before the results were recorded');
      }
      let n = 0;
      for (const res of results) {
        const row = rows.find((r) => r.op.opId === res.opId);
        if (row && row.result === null) {
          row.result = res;
          n += 1;
        }
      }
      return n;
    },
    opsFromSeq: (seq, limit) => rows.filter((r) => r.op.seq >= seq).slice(0, limit).map((r) => r.op),
    crashNextMark: () => {
      crashAfterServer = true;
    },
  };
  return port;
}

let server: ProtocolServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function setup(refuse?: (op: Operation) => boolean) {
  server = await startProtocolServer(refuse ? { refuse: (op) => (refuse(op) ? { code: 'unknown_product', message: 'no such product' } : null) } : {});
  const token = server.token;
  return { server, client: createSyncClient({ baseUrl: server.url, token: () => token }) };
}

describe('push loop', () => {
  it('drains in seq order, in batches, with progress', async () => {
    const { server, client } = await setup();
    const outbox = listOutbox(25);
    const progress: number[] = [];
    const r = await pushPending({ outbox, client, batchSize: 10, onProgress: (n) => progress.push(n) });
    expect(r).toEqual({ kind: 'drained', pushed: 25 });
    expect(progress).toEqual([10, 20, 25]);
    expect(server.applied.map((o) => o.seq)).toEqual(outbox.rows.map((r) => r.op.seq));
    expect(server.pushRequests).toBe(3);
  });

  it('records refusals as results and goes on with later ops', async () => {
    const { server, client } = await setup((op) => op.seq === 3);
    const outbox = listOutbox(5);
    expect((await pushPending({ outbox, client })).kind).toBe('drained');
    expect(outbox.rows.map((r) => r.result?.status)).toEqual(['applied', 'applied', 'refused', 'applied', 'applied']);
    expect(outbox.rows[2]?.result?.error?.code).toBe('unknown_product');
    expect(server.applied).toHaveLength(4);
  });

  it('stops on a transient failure with the work so far kept, and resumes later', async () => {
    const { server, client } = await setup();
    const outbox = listOutbox(6);
    server.failNext(1, 503);
    const first = await pushPending({ outbox, client, batchSize: 3 });
    expect(first).toMatchObject({ kind: 'failed', pushed: 0, failure: { kind: 'transient', status: 503 } });
    expect(await pushPending({ outbox, client, batchSize: 3 })).toEqual({ kind: 'drained', pushed: 6 });
    expect(server.applied).toHaveLength(6);
  });

  it('after a crash between central committing and the outbox recording it, resends and applies nothing twice', async () => {
    const { server, client } = await setup();
    const outbox = listOutbox(8);
    outbox.crashNextMark();
    await expect(pushPending({ outbox, client, batchSize: 5 })).rejects.toThrow(/power cut/);
    expect(server.lastAppliedSeq).toBe(5);
    expect(outbox.pendingOps(100)).toHaveLength(8);
    expect(await pushPending({ outbox, client, batchSize: 5 })).toEqual({ kind: 'drained', pushed: 8 });
    expect(server.applied.map((o) => o.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(outbox.rows.every((r) => r.result?.status === 'applied')).toBe(true);
  });

  it('refills a central that lost ops this device had marked done (sequence_gap below the oldest pending)', async () => {
    const { server, client } = await setup();
    const outbox = listOutbox(10);
    // Seqs 1..4 were settled against a central that has since been restored from an older backup.
    for (const row of outbox.rows.slice(0, 4)) row.result = { opId: row.op.opId, seq: row.op.seq, status: 'applied' };
    const r = await pushPending({ outbox, client, batchSize: 3 });
    expect(r).toEqual({ kind: 'drained', pushed: 6 });
    expect(server.applied.map((o) => o.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('reports, without spinning, a gap it cannot refill', async () => {
    const { server, client } = await setup();
    const outbox = listOutbox(4);
    outbox.rows.splice(0, 2);
    const r = await pushPending({ outbox, client });
    expect(r).toMatchObject({ kind: 'failed', failure: { kind: 'permanent', error: { code: 'sequence_gap' } } });
    expect(server.pushRequests).toBe(1);
  });
});
