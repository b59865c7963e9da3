import type { ErrorBody } from '../../src-shared/errors';
import type { Operation } from '../../src-shared/operations';
import { MAX_PUSH_BATCH, type OpResult } from '../../src-shared/sync';
import type { SyncClient, SyncFailure } from './client';

/*
 * Drains the outbox to central in seq order. Central applies each op exactly
 * once and keeps its result (docs/conflicts.md R1), so whatever happened
 * before (a crash after central committed, a response lost on the way back)
 * the loop simply sends the oldest pending ops again: already-applied ones
 * come back with their stored results and are marked; nothing is doubled.
 * Applied and refused both end an op's pending state (a refusal is recorded
 * with its error and never blocks later ops, R4).
 *
 * A 409 sequence_gap means central expects an older seq than our oldest
 * pending one: it lost ops we had marked done (central restored from a
 * backup). Those ops are still in the outbox; they are sent again from the
 * seq central names, then the pending ones follow.
 */

export interface OutboxPort {
  /** Pending ops of this device, oldest seq first. */
  pendingOps(limit: number): Operation[];
  /** Records central's verdicts; ops no longer pending are left as they are. */
  markSynced(results: OpResult[]): number;
  /** This device's ops from `seq` on, whatever their sync state (to refill a central that lost them). */
  opsFromSeq(seq: number, limit: number): Operation[];
}

export type PushOutcome =
  | { kind: 'drained'; pushed: number }
  | { kind: 'failed'; pushed: number; failure: SyncFailure };

export interface PushOptions {
  outbox: OutboxPort;
  client: Pick<SyncClient, 'push'>;
  batchSize?: number;
  /** Told after each batch how many ops were settled so far in this drain. */
  onProgress?: (settled: number) => void;
  /** Lets the engine stop between batches (shutdown). */
  shouldStop?: () => boolean;
}

const failed = (pushed: number, error: ErrorBody, kind: 'permanent' | 'transient' = 'permanent'): PushOutcome => ({
  kind: 'failed', pushed, failure: kind === 'permanent' ? { kind, status: 0, error } : { kind, status: null, error },
});

/** Pushes until the outbox is empty or a request fails; never throws for network or server trouble. */
export async function pushPending(opts: PushOptions): Promise<PushOutcome> {
  const batchSize = Math.min(opts.batchSize ?? MAX_PUSH_BATCH, MAX_PUSH_BATCH);
  let pushed = 0;
  for (;;) {
    if (opts.shouldStop?.()) return { kind: 'drained', pushed };
    const ops = opts.outbox.pendingOps(batchSize);
    const first = ops[0];
    if (!first) return { kind: 'drained', pushed };
    const r = await opts.client.push(ops);
    if (!r.ok) {
      if (r.failure.kind !== 'sequence_gap') return { kind: 'failed', pushed, failure: r.failure };
      const expected = r.failure.expectedSeq;
      if (expected >= first.seq) {
        // Central wants a seq we are not holding back: the pending ops are not contiguous. A local bug, never a retry.
        return failed(pushed, { code: 'sequence_gap', message: `central expects seq ${expected} but the oldest pending op is ${first.seq}`, details: { expectedSeq: expected } });
      }
      const refill = await resend(opts, expected, first.seq);
      if (refill !== null) return { ...refill, pushed };
      continue;
    }
    const sent = new Set(ops.map((o) => o.opId));
    const mine = r.value.results.filter((x) => sent.has(x.opId));
    const settled = opts.outbox.markSynced(mine);
    if (settled === 0) {
      // Central answered but settled none of what we sent: retrying the same batch would spin.
      return failed(pushed, { code: 'internal', message: `central settled none of ops ${first.seq}..${ops[ops.length - 1]?.seq ?? first.seq} (last applied ${r.value.lastAppliedSeq})` }, 'transient');
    }
    pushed += settled;
    opts.onProgress?.(pushed);
  }
}

/** Sends again the ops from `fromSeq` up to (not including) `untilSeq` that central lost. Null when done. */
async function resend(opts: PushOptions, fromSeq: number, untilSeq: number): Promise<PushOutcome | null> {
  const batchSize = Math.min(opts.batchSize ?? MAX_PUSH_BATCH, MAX_PUSH_BATCH);
  let seq = fromSeq;
  while (seq < untilSeq) {
    const ops = opts.outbox.opsFromSeq(seq, Math.min(batchSize, untilSeq - seq));
    if (ops.length === 0 || ops[0]?.seq !== seq) {
      return failed(0, { code: 'sequence_gap', message: `central lost ops from seq ${seq} and this device no longer holds them`, details: { expectedSeq: seq } });
    }
    const r = await opts.client.push(ops);
    if (!r.ok) return { kind: 'failed', pushed: 0, failure: r.failure };
    // Refilled ops were settled here long ago; their new results only confirm it.
    seq = r.value.lastAppliedSeq + 1;
    if (seq <= (ops[0]?.seq ?? seq)) {
      return failed(0, { code: 'internal', message: `central did not advance past seq ${seq - 1} while refilling` }, 'transient');
    }
  }
  return null;
}
