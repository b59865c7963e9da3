import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { DomainError } from '../../src-shared/errors';
import { canonicalJson, type OpType } from '../../src-shared/operations';
import type { StoreContext } from './context';
import { sqliteCode } from './open-database';

/*
 * The frame of every operation: idempotency by op id, the per-device seq (and
 * the receipt number for sales), the outbox row, all in the operation's one
 * transaction. The family-specific part (levels, movements, domain record) is
 * `apply`; anything it throws rolls back the numbers too, so they stay gap-free.
 */

export interface OpEnv {
  opId: string;
  actorId: string;
  seq: number;
  /** Only meaningful when the op asked for one (sales). */
  receiptNo: number;
  /** The operation's time, the same on every row it writes. */
  at: string;
}

export const OUTBOX_SQL = {
  getOp: 'SELECT type, input_hash, local_result FROM outbox WHERE op_id = ?',
  bumpCounters: `UPDATE device_counters SET last_seq = last_seq + 1, last_receipt_no = last_receipt_no + @r
    WHERE device_id = @d RETURNING last_seq, last_receipt_no`,
  insertOutbox: `INSERT INTO outbox (op_id, device_id, seq, type, payload, input_hash, actor_id, created_at, local_result)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
} as const;

export function prepareOutboxWrites(db: Database.Database) {
  return {
    getOp: db.prepare<[string], { type: OpType; input_hash: string; local_result: string }>(OUTBOX_SQL.getOp),
    bumpCounters: db.prepare<{ r: number; d: string }, { last_seq: number; last_receipt_no: number }>(OUTBOX_SQL.bumpCounters),
    insertOutbox: db.prepare<[string, string, number, OpType, string, string, string, string, string]>(OUTBOX_SQL.insertOutbox),
  };
}
export type OutboxWrites = ReturnType<typeof prepareOutboxWrites>;

export function runOp<R>(
  ctx: StoreContext, ob: OutboxWrites, type: OpType, input: { opId: string; actorId: string },
  opts: { receipt: boolean },
  apply: (env: OpEnv) => { payload: unknown; result: R },
): R {
  const canonical = canonicalJson(input);
  // PostgreSQL stores NUL in neither text nor jsonb, so central refuses an op
  // carrying one (with its whole push batch): queued, it would block this
  // till's outbox for good. It is refused here instead, before anything is written.
  if (canonical.includes('\\u0000')) {
    throw new DomainError('validation', `invalid ${type}: text must not contain NUL characters`);
  }
  const hash = createHash('sha256').update(canonical).digest('base64url');
  try {
    return record(ctx, ob, type, input, hash, opts, apply);
  } catch (e) {
    // The transaction has rolled back: say so in a way the till can act on (retry), not as a crash.
    const code = sqliteCode(e);
    if (code && TRANSIENT.test(code)) {
      throw new DomainError('unavailable', `the branch database could not record this ${type} right now (${code}); nothing was written: try again`, { sqliteCode: code });
    }
    throw e;
  }
}

/** Busy or locked by another connection, disk full, I/O failure: the same op may succeed later. */
const TRANSIENT = /^SQLITE_(BUSY|LOCKED|FULL|IOERR)/;

function record<R>(
  ctx: StoreContext, ob: OutboxWrites, type: OpType, input: { opId: string; actorId: string }, hash: string,
  opts: { receipt: boolean }, apply: (env: OpEnv) => { payload: unknown; result: R },
): R {
  return ctx.tx(() => {
    const prior = ob.getOp.get(input.opId);
    if (prior) {
      if (prior.type !== type || prior.input_hash !== hash) {
        throw new DomainError('op_conflict', `operation ${input.opId} was already recorded as a different ${prior.type}`, { opId: input.opId, recordedType: prior.type });
      }
      return JSON.parse(prior.local_result) as R;
    }
    const counters = ob.bumpCounters.get({ r: opts.receipt ? 1 : 0, d: ctx.deviceId });
    if (!counters) throw new Error(`no counters row for device ${ctx.deviceId}`);
    const env: OpEnv = { opId: input.opId, actorId: input.actorId, seq: counters.last_seq, receiptNo: counters.last_receipt_no, at: ctx.now() };
    const { payload, result } = apply(env);
    ob.insertOutbox.run(input.opId, ctx.deviceId, env.seq, type, JSON.stringify(payload), hash, input.actorId, env.at, JSON.stringify(result));
    return result;
  });
}
