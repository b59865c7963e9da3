import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRng, type Rng } from './prng';

/*
 * A fault-injecting HTTP proxy between branch nodes and central, for the
 * simulation and the sync tests. Each branch talks to its own prefix
 * (`/b/<branch>/...`), so faults are per link: drop the request (central never
 * sees it), drop the response after central committed (the branch sees a
 * network error for work that was done), delay, duplicate (central gets it
 * twice), reorder (the branch is told the request failed while the request
 * itself reaches central later, after the branch's retry), and cut the branch
 * off entirely. Decisions come from a seeded PRNG per link.
 */

export interface LinkFaults {
  /** Every request refused at once, as if the line were down. */
  cut: boolean;
  dropRequest: number;
  dropResponse: number;
  duplicate: number;
  reorder: number;
  /** Extra latency per request, uniform in [min, max] ms. */
  delayMs: [number, number];
}

export const CLEAN_LINK: LinkFaults = { cut: false, dropRequest: 0, dropResponse: 0, duplicate: 0, reorder: 0, delayMs: [0, 0] };

export interface LinkStats {
  forwarded: number;
  refusedCut: number;
  droppedRequests: number;
  droppedResponses: number;
  duplicated: number;
  reordered: number;
  status5xx: number;
}

export interface FaultProxy {
  /** The base URL a branch uses to reach central through its link. */
  url(branch: string): string;
  setFaults(branch: string, faults: Partial<LinkFaults>): void;
  /** Back to a clean link (one branch, or all). */
  heal(branch?: string): void;
  stats(branch: string): LinkStats;
  /** Waits until no request (including delayed and duplicated ones) is still on its way to central. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

interface Forwarded {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function forward(target: URL, method: string, path: string, headers: http.IncomingHttpHeaders, body: Buffer): Promise<Forwarded> {
  return new Promise((resolve, reject) => {
    const h = { ...headers, host: target.host, 'content-length': String(body.length) };
    delete h.connection;
    const req = http.request({ hostname: target.hostname, port: target.port, method, path, headers: h }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function startFaultProxy(opts: { target: string; seed: number }): Promise<FaultProxy> {
  const target = new URL(opts.target);
  const root = createRng(opts.seed);
  const links = new Map<string, { faults: LinkFaults; rng: Rng; stats: LinkStats }>();
  const inFlight = new Set<Promise<unknown>>();

  const link = (branch: string) => {
    let l = links.get(branch);
    if (!l) {
      l = {
        faults: { ...CLEAN_LINK },
        rng: root.fork(),
        stats: { forwarded: 0, refusedCut: 0, droppedRequests: 0, droppedResponses: 0, duplicated: 0, reordered: 0, status5xx: 0 },
      };
      links.set(branch, l);
    }
    return l;
  };

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.then(() => inFlight.delete(p), () => inFlight.delete(p));
    return p;
  };

  const server = http.createServer((req, res) => {
    const m = /^\/b\/([A-Za-z0-9_-]+)(\/.*)$/.exec(req.url ?? '');
    if (!m || !m[1] || !m[2]) {
      res.writeHead(404).end();
      return;
    }
    const l = link(m[1]);
    const path = m[2];
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const f = l.faults;
      const kill = () => res.socket?.destroy();
      if (f.cut) {
        l.stats.refusedCut += 1;
        kill();
        return;
      }
      // Draw every decision up front, in a fixed order, so a seed replays the same faults.
      const dropReq = l.rng.chance(f.dropRequest);
      const dropRes = l.rng.chance(f.dropResponse);
      const dup = l.rng.chance(f.duplicate);
      const reorder = l.rng.chance(f.reorder);
      const delay = l.rng.int(f.delayMs[0], f.delayMs[1]);
      const lateDelay = l.rng.int(20, 250);
      const send = () => {
        l.stats.forwarded += 1;
        return track(forward(target, req.method ?? 'GET', path, req.headers, body).then((r) => {
          if (r.status >= 500) l.stats.status5xx += 1;
          return r;
        }));
      };
      if (dropReq) {
        l.stats.droppedRequests += 1;
        kill();
        return;
      }
      if (reorder) {
        // The branch sees a failure now; the request reaches central later, after the retry.
        l.stats.reordered += 1;
        kill();
        void track(sleep(lateDelay).then(send).catch(() => undefined));
        return;
      }
      void (async () => {
        try {
          if (delay > 0) await sleep(delay);
          const first = await send();
          if (dup) {
            l.stats.duplicated += 1;
            void track(sleep(lateDelay).then(send).catch(() => undefined));
          }
          if (dropRes || l.faults.cut) {
            l.stats.droppedResponses += 1;
            kill();
            return;
          }
          const headers = { ...first.headers };
          delete headers['transfer-encoding'];
          delete headers.connection;
          headers['content-length'] = String(first.body.length);
          res.writeHead(first.status, headers).end(first.body);
        } catch {
          kill();
        }
      })();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  return {
    url: (branch) => `http://127.0.0.1:${port}/b/${branch}`,
    setFaults(branch, faults) {
      const l = link(branch);
      l.faults = { ...l.faults, ...faults };
    },
    heal(branch) {
      const names = branch === undefined ? [...links.keys()] : [branch];
      for (const b of names) link(b).faults = { ...CLEAN_LINK };
    },
    stats: (branch) => ({ ...link(branch).stats }),
    async settle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
