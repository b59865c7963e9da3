import type { Database } from '../db/database';
import { outboxHandlers, type OutboxEvent, type OutboxHandler } from './handlers';

export interface OutboxWorkerOptions {
  /** Recorded on each processed row, so it shows which process applied it. */
  workerId?: string;
  batchSize?: number;
  maxAttempts?: number;
  /** First retry delay; doubles per attempt, capped at maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  handlers?: Record<string, OutboxHandler>;
  onError?: (err: unknown, event: OutboxEvent) => void;
}

export interface OutboxRunStats { processed: number; retried: number; failed: number }

function backoffMs(attempt: number, base: number, cap: number): number {
  return Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
}

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 1000);
}

type Settings = ReturnType<typeof withDefaults>;

/**
 * Claims one due event of a tenant and applies it, in one transaction: the
 * claimed row stays locked (and invisible to other workers' SKIP LOCKED)
 * until it is marked processed or rescheduled. One event per transaction, so
 * a worker never holds one event's level rows while taking another's, which
 * could deadlock two workers crediting the same warehouse.
 */
async function runOne(db: Database, tenantId: string, o: Settings, seen: number[]): Promise<keyof OutboxRunStats | null> {
  return db.withTenant(tenantId, async (tx) => {
    const claimed = await tx.query<{ id: string | number; kind: string; payload: Record<string, unknown>; attempts: number }>(
      `SELECT id, kind, payload, attempts FROM outbox
        WHERE tenant_id = $1 AND processed_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now() AND id <> ALL($2::bigint[])
        ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`, [tenantId, seen]);
    const row = claimed.rows[0];
    if (!row) return null;
    const event: OutboxEvent = { id: Number(row.id), tenantId, kind: row.kind, payload: row.payload };
    // An event retried with no delay waits for the next pass rather than looping here.
    seen.push(event.id);
    await tx.query('SAVEPOINT outbox_event');
    try {
      const handler = o.handlers[event.kind];
      if (!handler) throw new Error(`no handler for outbox event kind ${event.kind}`);
      await handler(tx, event);
      await tx.query(`UPDATE outbox SET processed_at = now(), processed_by = $3, attempts = attempts + 1, last_error = NULL WHERE tenant_id = $1 AND id = $2`,
        [tenantId, event.id, o.workerId]);
      return 'processed';
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT outbox_event');
      o.onError?.(err, event);
      const attempts = row.attempts + 1;
      const dead = attempts >= o.maxAttempts;
      await tx.query(
        `UPDATE outbox SET attempts = $3, last_error = $4, next_attempt_at = now() + make_interval(secs => $5::float8 / 1000),
                failed_at = CASE WHEN $6 THEN now() END
          WHERE tenant_id = $1 AND id = $2`,
        [tenantId, event.id, attempts, message(err), backoffMs(attempts, o.baseDelayMs, o.maxDelayMs), dead]);
      return dead ? 'failed' : 'retried';
    }
  });
}

function withDefaults(opts: OutboxWorkerOptions) {
  return {
    workerId: opts.workerId ?? `worker-${process.pid}`,
    batchSize: opts.batchSize ?? 100,
    maxAttempts: opts.maxAttempts ?? 10,
    baseDelayMs: opts.baseDelayMs ?? 1000,
    maxDelayMs: opts.maxDelayMs ?? 5 * 60_000,
    handlers: opts.handlers ?? outboxHandlers,
    onError: opts.onError,
  };
}

/** One pass over every tenant with due events. */
export async function processOutboxOnce(db: Database, opts: OutboxWorkerOptions = {}): Promise<OutboxRunStats> {
  const o = withDefaults(opts);
  const tenants = await db.withoutTenant((tx) => tx.query<{ t: string }>('SELECT bp_tenants_with_pending_outbox() AS t'));
  const total: OutboxRunStats = { processed: 0, retried: 0, failed: 0 };
  for (const { t } of tenants.rows) {
    const seen: number[] = [];
    for (let i = 0; i < o.batchSize; i += 1) {
      const outcome = await runOne(db, t, o, seen);
      if (outcome === null) break;
      total[outcome] += 1;
    }
  }
  return total;
}

export interface BackgroundLoop { stop(): Promise<void> }

/** Runs `step` every intervalMs (at once again while it finds work) until stopped; errors are reported, never thrown. */
export function startLoop(step: () => Promise<number>, intervalMs: number, onError: (e: unknown) => void): BackgroundLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = (): void => {
    running = (async () => {
      let found = 0;
      try { found = await step(); } catch (e) { onError(e); }
      if (!stopped) timer = setTimeout(tick, found > 0 ? 0 : intervalMs);
    })();
  };
  timer = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export function startOutboxWorker(db: Database, opts: OutboxWorkerOptions & { intervalMs?: number; onLoopError?: (e: unknown) => void } = {}): BackgroundLoop {
  return startLoop(async () => (await processOutboxOnce(db, opts)).processed, opts.intervalMs ?? 500, opts.onLoopError ?? (() => undefined));
}
