import type { z } from 'zod';
import { ErrorBody } from '../../src-shared/errors';
import type { Operation } from '../../src-shared/operations';
import {
  EnrollResponse, PullResponse, PushResponse, SequenceGapDetails,
} from '../../src-shared/sync';

/*
 * The branch's HTTP client for central's sync API. Every call returns an
 * outcome instead of throwing, already sorted into what the caller must do:
 * transient (the network, a 5xx, a 503, a 429: wait and send the same thing
 * again), a sequence gap (central holds a different seq than we sent from:
 * resend from the one it expects), or permanent (a 4xx: sending it again
 * cannot help). Per-op refusals are not failures: they arrive inside a 200
 * push response as results, and the outbox records them.
 */

export type SyncFailure =
  | { kind: 'transient'; status: number | null; error: ErrorBody; retryAfterMs?: number; timedOut?: boolean }
  | { kind: 'sequence_gap'; expectedSeq: number; error: ErrorBody }
  | { kind: 'permanent'; status: number; error: ErrorBody };

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: SyncFailure };

export interface SyncClientOptions {
  /** Central's base URL, e.g. https://central.example.com (no trailing path needed). */
  baseUrl: string;
  /** The device token, read when a call needs it; null before enrollment. */
  token: () => string | null;
  /** Each request gives up after this long: a hung link must not hold the sync loop. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Told after every call whether central answered at all (connectivity). */
  onReach?: (reached: boolean) => void;
}

export interface SyncClient {
  push(ops: readonly Operation[]): Promise<Outcome<PushResponse>>;
  pull(cursor: string | null, limit?: number): Promise<Outcome<PullResponse>>;
  enroll(code: string, deviceName: string): Promise<Outcome<EnrollResponse>>;
  /** GET /healthz: true when central answered 2xx. */
  probe(): Promise<boolean>;
}

const DEFAULT_TIMEOUT_MS = 30_000;

function networkFailure(e: unknown): SyncFailure {
  const msg = e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e);
  const error: ErrorBody = { code: 'unavailable', message: `central unreachable: ${msg}` };
  // A timeout may mean central is slow, not gone: the engine answers with smaller batches.
  return e instanceof Error && e.name === 'TimeoutError' ? { kind: 'transient', status: null, error, timedOut: true } : { kind: 'transient', status: null, error };
}

function retryAfterMs(h: string | null): number | undefined {
  if (h === null) return undefined;
  const s = Number(h);
  return Number.isFinite(s) && s >= 0 ? Math.round(s * 1000) : undefined;
}

/** Sorts a non-2xx answer. Exported for tests of the classification itself. */
export function classifyHttpFailure(status: number, body: unknown, retryAfter: string | null = null): SyncFailure {
  const parsed = ErrorBody.safeParse(body);
  const error: ErrorBody = parsed.success ? parsed.data : { code: status >= 500 ? 'unavailable' : 'validation', message: `HTTP ${status}` };
  if (status >= 500 || status === 429 || status === 408) {
    const ra = retryAfterMs(retryAfter);
    return ra === undefined ? { kind: 'transient', status, error } : { kind: 'transient', status, error, retryAfterMs: ra };
  }
  if (status === 409 && error.code === 'sequence_gap') {
    const d = SequenceGapDetails.safeParse(error.details);
    if (d.success) return { kind: 'sequence_gap', expectedSeq: d.data.expectedSeq, error };
  }
  return { kind: 'permanent', status, error };
}

export function createSyncClient(opts: SyncClientOptions): SyncClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const reach = (r: boolean) => opts.onReach?.(r);

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST', path: string, schema: S, body: unknown, auth: boolean,
  ): Promise<Outcome<z.infer<S>>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth) {
      const token = opts.token();
      if (token === null) {
        return { ok: false, failure: { kind: 'permanent', status: 401, error: { code: 'unauthorized', message: 'this branch is not enrolled' } } };
      }
      headers.authorization = `Bearer ${token}`;
    }
    let res: Response;
    let json: unknown;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Read the body under the same timeout: a link that dies mid-answer is a network failure.
      const text = await res.text();
      json = text.length === 0 ? undefined : JSON.parse(text);
    } catch (e) {
      reach(false);
      return { ok: false, failure: networkFailure(e) };
    }
    reach(true);
    if (!res.ok) return { ok: false, failure: classifyHttpFailure(res.status, json, res.headers.get('retry-after')) };
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      // Central answered 2xx with something we cannot read: a version skew. Retrying later
      // (perhaps after an update) is the only cure, so it is transient, but loudly so.
      const first = parsed.error.issues[0];
      return { ok: false, failure: { kind: 'transient', status: res.status, error: { code: 'internal', message: `unreadable answer from central at ${path}: ${first ? `${first.path.join('.')}: ${first.message}` : 'malformed'}` } } };
    }
    return { ok: true, value: parsed.data };
  }

  return {
    push: (ops) => call('POST', '/v1/sync/push', PushResponse, { ops }, true),
    pull: (cursor, limit) => {
      const q = new URLSearchParams();
      if (cursor !== null) q.set('cursor', cursor);
      if (limit !== undefined) q.set('limit', String(limit));
      const qs = q.toString();
      return call('GET', `/v1/sync/pull${qs ? `?${qs}` : ''}`, PullResponse, undefined, true);
    },
    enroll: (code, deviceName) => call('POST', '/v1/devices/enroll', EnrollResponse, { code, deviceName }, false),
    probe: async () => {
      try {
        const res = await doFetch(`${base}/healthz`, { signal: AbortSignal.timeout(Math.min(timeoutMs, 5000)) });
        await res.arrayBuffer();
        reach(true);
        return res.ok;
      } catch {
        reach(false);
        return false;
      }
    },
  };
}
