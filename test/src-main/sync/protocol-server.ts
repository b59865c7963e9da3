import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorBody } from '../../../src-shared/errors';
import { canonicalJson, type Operation } from '../../../src-shared/operations';
import type { OpResult, PullResponse } from '../../../src-shared/sync';

/*
 * A small real HTTP server that keeps the sync protocol's seq and idempotency
 * rules for one device, so the branch's client and push loop are tested on
 * real HTTP without the whole central server: ops at or below the last
 * applied seq return their stored result, the next seq is applied, a seq
 * beyond it is a 409 sequence_gap naming the seq expected. `refuse` decides
 * which ops central refuses; `failNext` injects 5xx answers.
 */

export interface ProtocolServer {
  url: string;
  token: string;
  /** Every op applied, in order of application (exactly once each). */
  applied: Operation[];
  results: Map<number, OpResult>;
  readonly lastAppliedSeq: number;
  pushRequests: number;
  enrollments: number;
  /** The next n push requests answer with this status (e.g. 503) without applying anything. */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

export interface ProtocolServerOptions {
  refuse?: (op: Operation) => ErrorBody | null;
  /** A slow central: batches larger than `ops` are answered only after `ms` (their ops are applied at once). */
  slowAbove?: { ops: number; ms: number };
  /** The ids enrollment hands out (the branch store under test must carry the same). */
  identity?: { deviceId: string; tenantId: string; warehouseId: string };
  enrollCode?: string;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  const b = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b) }).end(b);
};

export async function startProtocolServer(opts: ProtocolServerOptions = {}): Promise<ProtocolServer> {
  const token = `bpd.test.${'x'.repeat(43)}`;
  const applied: Operation[] = [];
  const results = new Map<number, OpResult>();
  const payloadBySeq = new Map<number, string>();
  let lastAppliedSeq = 0;
  let failing = 0;
  let failStatus = 503;
  const state = { pushRequests: 0, enrollments: 0 };

  function push(ops: Operation[]): { status: number; body: unknown } {
    const out: OpResult[] = [];
    for (const op of ops) {
      if (op.seq <= lastAppliedSeq) {
        if (payloadBySeq.get(op.seq) !== canonicalJson(op)) {
          return { status: 422, body: { code: 'op_conflict', message: `seq ${op.seq} was applied with another op` } };
        }
        const r = results.get(op.seq);
        if (r) out.push(r);
        continue;
      }
      if (op.seq > lastAppliedSeq + 1) {
        return { status: 409, body: { code: 'sequence_gap', message: 'gap', details: { expectedSeq: lastAppliedSeq + 1 } } };
      }
      const refusal = opts.refuse?.(op) ?? null;
      const r: OpResult = refusal
        ? { opId: op.opId, seq: op.seq, status: 'refused', error: refusal }
        : { opId: op.opId, seq: op.seq, status: 'applied' };
      if (!refusal) applied.push(op);
      results.set(op.seq, r);
      payloadBySeq.set(op.seq, canonicalJson(op));
      lastAppliedSeq = op.seq;
      out.push(r);
    }
    return { status: 200, body: { results: out, lastAppliedSeq } };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/healthz') return json(res, 200, { ok: true });
      if (url.pathname === '/v1/devices/enroll' && req.method === 'POST') {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { code?: string };
        state.enrollments += 1;
        if (body.code !== (opts.enrollCode ?? 'ENROLL-123456')) return json(res, 401, { code: 'unauthorized', message: 'bad code' });
        return json(res, 201, {
          deviceId: '01900000-0000-7000-8000-000000000001', tenantId: '01900000-0000-7000-8000-000000000002', warehouseId: '01900000-0000-7000-8000-000000000003',
          ...opts.identity, token,
        });
      }
      if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { code: 'unauthorized', message: 'no' });
      if (url.pathname === '/v1/sync/push' && req.method === 'POST') {
        state.pushRequests += 1;
        if (failing > 0) {
          failing -= 1;
          return json(res, failStatus, { code: 'unavailable', message: 'injected' });
        }
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { ops: Operation[] };
        const r = push(body.ops);
        const slow = opts.slowAbove;
        if (slow && body.ops.length > slow.ops) {
          setTimeout(() => json(res, r.status, r.body), slow.ms);
          return undefined;
        }
        return json(res, r.status, r.body);
      }
      if (url.pathname === '/v1/sync/pull') {
        const page: PullResponse = {
          cursor: 'c1', hasMore: false, serverTime: new Date().toISOString(), lastAppliedSeq,
          warehouses: [], products: [], exchangeRates: [], levels: [], transfers: [], reservations: [], discrepancies: [], followUps: [],
        };
        return json(res, 200, page);
      }
      return json(res, 404, { code: 'not_found', message: 'no route' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    applied,
    results,
    get lastAppliedSeq() {
      return lastAppliedSeq;
    },
    get pushRequests() {
      return state.pushRequests;
    },
    set pushRequests(n: number) {
      state.pushRequests = n;
    },
    get enrollments() {
      return state.enrollments;
    },
    set enrollments(n: number) {
      state.enrollments = n;
    },
    failNext(n, status = 503) {
      failing = n;
      failStatus = status;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
