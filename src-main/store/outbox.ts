import { z } from 'zod';
import { parseOrThrow } from '../../src-shared/errors';
import type { Operation, OpType } from '../../src-shared/operations';
import { OpResult } from '../../src-shared/sync';
import type { StoreContext } from './context';

/*
 * What the sync loop needs from the store: the pending ops in seq order, and a
 * way to record what central said about each.
 */

interface OutboxRow {
  op_id: string; seq: number; type: OpType; payload: string; actor_id: string; created_at: string;
}

export function createOutbox(ctx: StoreContext) {
  const pending = ctx.db.prepare<{ d: string; limit: number }, OutboxRow>(
    `SELECT op_id, seq, type, payload, actor_id, created_at FROM outbox
     WHERE device_id = @d AND sync_status = 'pending' ORDER BY seq LIMIT @limit`);
  const mark = ctx.db.prepare<{ opId: string; status: string; result: string; at: string }>(
    `UPDATE outbox SET sync_status = @status, sync_result = @result, synced_at = @at
     WHERE op_id = @opId AND sync_status = 'pending'`);
  const counts = ctx.db.prepare<[string], { status: string; n: number }>(
    'SELECT sync_status AS status, count(*) AS n FROM outbox WHERE device_id = ? GROUP BY sync_status');

  return {
    /** Pending operations of this device, oldest first, as they are pushed. */
    pendingOps(limit = 500): Operation[] {
      const n = parseOrThrow(z.number().int().min(1).max(5000), limit, 'limit');
      return pending.all({ d: ctx.deviceId, limit: n }).map((r) => ({
        opId: r.op_id, seq: r.seq, type: r.type, occurredAt: r.created_at, actorId: r.actor_id,
        payload: JSON.parse(r.payload) as unknown,
      }) as Operation);
    },
    /** Records central's verdicts; ops already marked are left as they are. Returns how many changed. */
    markSynced(results: unknown): number {
      const rs = parseOrThrow(z.array(OpResult).max(5000), results, 'sync results');
      const at = ctx.now();
      return ctx.tx(() => rs.reduce((n, r) => n + mark.run({ opId: r.opId, status: r.status, result: JSON.stringify(r), at }).changes, 0));
    },
    outboxCounts(): { pending: number; applied: number; refused: number } {
      const out = { pending: 0, applied: 0, refused: 0 };
      for (const r of counts.all(ctx.deviceId)) if (r.status in out) out[r.status as keyof typeof out] = r.n;
      return out;
    },
  };
}
