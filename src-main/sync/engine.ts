import type { ErrorBody } from '../../src-shared/errors';
import type { Operation } from '../../src-shared/operations';
import { MAX_PUSH_BATCH, type OpResult, type PullResponse, type SyncStatus } from '../../src-shared/sync';
import { createBackoff, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { createSyncClient, type SyncClient, type SyncFailure } from './client';
import { createConnectivity, type Connectivity } from './connectivity';
import { pushPending } from './push';
import { createStatusPublisher, type StatusPublisher } from './status';
import type { TokenVault } from './vault';

/*
 * The branch's sync engine: push the outbox, then pull what changed, on a
 * timer, when asked (a sale was queued) and when the link comes back. Selling
 * never waits for it: a run is async work between the till's own
 * transactions, each store call short. One run at a time; a request made
 * during a run schedules another right after it. Failures back off with full
 * jitter; the status the screens see is republished after every step.
 */

/** What the engine needs from the branch store (openBranchStore + its sync part, src-main/store/sync-apply.ts). */
export interface SyncStorePort {
  /** Who the store file belongs to: the enrollment must be the same device, or nothing is sent. */
  deviceId: string;
  warehouseId: string;
  pendingOps(limit: number): Operation[];
  markSynced(results: OpResult[]): number;
  sync: {
    state(): { cursor: string | null };
    saveIdentity(serverUrl: string, deviceId: string): void;
    applyPage(page: PullResponse): unknown;
    applyPushResults(results: readonly OpResult[]): number;
    markSyncedAt(at: string): void;
    opsFromSeq(seq: number, limit: number): Operation[];
    counters(): { pendingOps: number; oldestPendingAt: string | null; lastSyncAt: string | null; openFollowUps: number; openDiscrepancies: number };
    inTransaction<T>(fn: () => T): T;
  };
}

export interface SyncEngineOptions {
  store: SyncStorePort;
  vault: TokenVault;
  /** Time between runs while all is well. */
  intervalMs?: number;
  /** Probe a quiet link this often. */
  probeIntervalMs?: number;
  backoff?: BackoffPolicy;
  pushBatch?: number;
  pullLimit?: number;
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  random?: () => number;
  now?: () => number;
}

export type RunOutcome =
  | { kind: 'not_enrolled' }
  | { kind: 'synced'; pushed: number; pages: number }
  | { kind: 'failed'; pushed: number; failure: SyncFailure };

export interface SyncEngine {
  readonly status: StatusPublisher;
  start(): void;
  stop(): Promise<void>;
  /** Runs a sync now (or joins the one under way and runs once more after it). */
  syncNow(): Promise<RunOutcome>;
  /** Something was queued: sync soon, without waiting for the timer. */
  nudge(): void;
  /** Recompute the status from the store (after a local op). */
  refresh(): void;
}

const MAX_PAGES_PER_RUN = 1000;
const MIN_BATCH = 10;

export function createSyncEngine(opts: SyncEngineOptions): SyncEngine {
  const now = opts.now ?? Date.now;
  const intervalMs = opts.intervalMs ?? 30_000;
  const backoff = createBackoff(opts.backoff ?? DEFAULT_BACKOFF, opts.random);
  const status = createStatusPublisher();
  const { store } = opts;
  let client: { token: string; url: string; c: SyncClient } | null = null;
  let running: Promise<RunOutcome> | null = null;
  let again = false;
  let stopped = true;
  // Set by stop() only: a manual syncNow() on an engine never started must still run to the end.
  let closing = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let progress: SyncStatus['progress'] = null;
  let lastError: ErrorBody | null = null;
  let engineState: SyncStatus['state'] = 'not_enrolled';
  // Batch size adapts: halved when a push times out (central slow or the link thin), doubled back after each good run.
  const maxBatch = Math.min(opts.pushBatch ?? MAX_PUSH_BATCH, MAX_PUSH_BATCH);
  let batch = maxBatch;

  const connectivity: Connectivity = createConnectivity({
    probe: () => (client ? client.c.probe() : Promise.resolve(false)),
    intervalMs: opts.probeIntervalMs ?? 15_000,
    onOnline: () => {
      if (!stopped) schedule(0);
    },
    now,
  });

  function publish(): void {
    const c = store.sync.counters();
    status.update({
      state: engineState,
      pendingOps: c.pendingOps,
      oldestPendingAgeMs: c.oldestPendingAt === null ? null : Math.max(0, Math.round(now() - Date.parse(c.oldestPendingAt))),
      lastSyncAt: c.lastSyncAt,
      openFollowUps: c.openFollowUps,
      openDiscrepancies: c.openDiscrepancies,
      progress,
      lastError,
    });
  }

  function clientFor(): SyncClient | null {
    const e = opts.vault.load();
    if (!e) return null;
    if (!client || client.token !== e.token || client.url !== e.serverUrl) {
      const token = e.token;
      client = {
        token, url: e.serverUrl,
        c: createSyncClient({
          baseUrl: e.serverUrl, token: () => token, onReach: (r) => connectivity.report(r),
          ...(opts.requestTimeoutMs ? { timeoutMs: opts.requestTimeoutMs } : {}), ...(opts.fetch ? { fetch: opts.fetch } : {}),
        }),
      };
      store.sync.saveIdentity(e.serverUrl, e.deviceId);
    }
    return client.c;
  }

  function settleState(failure: SyncFailure | null): void {
    lastError = failure?.error ?? null;
    engineState = failure && failure.kind === 'transient' && failure.status === null ? 'offline' : connectivity.state === 'offline' ? 'offline' : 'online';
  }

  async function runOnce(): Promise<RunOutcome> {
    const e = opts.vault.load();
    if (e && (e.deviceId !== store.deviceId || e.warehouseId !== store.warehouseId)) {
      // Sending this file's ops with another device's token would file them under the wrong till.
      return { kind: 'failed', pushed: 0, failure: { kind: 'permanent', status: 0, error: { code: 'forbidden', message: `this device is enrolled as ${e.deviceId} but its database belongs to device ${store.deviceId}` } } };
    }
    const c = clientFor();
    if (!c) {
      engineState = 'not_enrolled';
      publish();
      return { kind: 'not_enrolled' };
    }
    engineState = 'syncing';
    const total = store.sync.counters().pendingOps;
    progress = total > 0 ? { done: 0, total } : null;
    publish();
    const pushed = await pushPending({
      client: c,
      batchSize: batch,
      outbox: {
        pendingOps: (n) => store.pendingOps(n),
        // Marking the results and acting on refused reservations commit together.
        markSynced: (rs) => store.sync.inTransaction(() => {
          const n = store.markSynced(rs);
          store.sync.applyPushResults(rs);
          return n;
        }),
        opsFromSeq: (seq, n) => store.sync.opsFromSeq(seq, n),
      },
      onProgress: (done) => {
        progress = { done, total: Math.max(total, done) };
        publish();
      },
      shouldStop: () => closing,
    });
    progress = null;
    if (pushed.kind === 'failed') return { kind: 'failed', pushed: pushed.pushed, failure: pushed.failure };
    let pages = 0;
    let cursor = store.sync.state().cursor;
    for (;;) {
      if (closing || pages >= MAX_PAGES_PER_RUN) break;
      const r = await c.pull(cursor, opts.pullLimit);
      if (!r.ok) return { kind: 'failed', pushed: pushed.pushed, failure: r.failure };
      store.sync.applyPage(r.value);
      pages += 1;
      cursor = r.value.cursor;
      if (!r.value.hasMore) break;
    }
    store.sync.markSyncedAt(new Date(now()).toISOString());
    return { kind: 'synced', pushed: pushed.pushed, pages };
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void syncNow();
    }, delayMs);
    timer.unref?.();
  }

  async function guarded(): Promise<RunOutcome> {
    let outcome: RunOutcome;
    try {
      outcome = await runOnce();
    } catch (e) {
      // A store fault (disk full, a bug): keep the engine alive, say what happened, try again later.
      const message = e instanceof Error ? e.message : String(e);
      outcome = { kind: 'failed', pushed: 0, failure: { kind: 'transient', status: 0, error: { code: 'internal', message: `sync stopped: ${message}` } } };
    }
    progress = null;
    if (outcome.kind === 'failed') {
      settleState(outcome.failure);
      const f = outcome.failure;
      if (f.kind === 'transient' && f.timedOut) batch = Math.max(MIN_BATCH, Math.floor(batch / 2));
      const wait = f.kind === 'transient' && f.retryAfterMs !== undefined ? Math.max(f.retryAfterMs, backoff.fail()) : backoff.fail();
      publish();
      schedule(wait);
    } else if (outcome.kind === 'synced') {
      batch = Math.min(maxBatch, batch * 2);
      backoff.succeed();
      settleState(null);
      publish();
      schedule(intervalMs);
    } else {
      publish();
    }
    return outcome;
  }

  function syncNow(): Promise<RunOutcome> {
    if (running) {
      again = true;
      return running;
    }
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    running = guarded().finally(() => {
      running = null;
      if (again && !stopped) {
        again = false;
        schedule(0);
      }
    });
    return running;
  }

  return {
    status,
    start() {
      if (!stopped) return;
      stopped = false;
      closing = false;
      connectivity.start();
      publish();
      schedule(0);
    },
    async stop() {
      stopped = true;
      closing = true;
      connectivity.stop();
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running.catch(() => undefined);
    },
    syncNow,
    nudge() {
      if (stopped || running) {
        again = again || running !== null;
        return;
      }
      // Coalesce a burst of sales into one run; offline, the probe brings us back.
      if (connectivity.state !== 'offline') schedule(250);
    },
    refresh: publish,
  };
}
