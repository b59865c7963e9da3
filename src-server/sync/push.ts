import { DomainError, parseOrThrow } from '../../src-shared/errors';
import { Operation } from '../../src-shared/operations';
import { MAX_PUSH_BATCH, type OpResult, type PushResponse } from '../../src-shared/sync';
import type { Database } from '../db/database';
import { opHash } from './applied-ops';
import type { DeviceContext } from './context';
import { pushGroup } from './push-group';

export type { DeviceContext } from './context';

/**
 * At most this many ops share a transaction. Bigger groups gain little once
 * the per-commit cost is spread, and hold the device's level rows locked
 * longer against other tills of the same branch.
 */
const GROUP_COMMIT_MAX = 100;

/**
 * Applies a device's batch in seq order (docs/conflicts.md R1-R5). Throws
 * `sequence_gap` (409) and `op_conflict` (422) as DomainErrors, after
 * committing the ops before the one at fault; any other thrown error is
 * transient (503) and left nothing of the failing op behind.
 */
export async function pushOperations(db: Database, device: DeviceContext, ops: readonly unknown[], groupMax = GROUP_COMMIT_MAX): Promise<PushResponse> {
  if (ops.length === 0) throw new DomainError('validation', 'the batch is empty');
  if (ops.length > MAX_PUSH_BATCH) throw new DomainError('validation', `at most ${MAX_PUSH_BATCH} operations per batch`);
  const parsed = ops.map((op, i) => parseOrThrow(Operation, op, `operation ${i}`));
  const sorted = parsed.map((op) => ({ op, hash: opHash(op) })).sort((a, b) => a.op.seq - b.op.seq);
  const results: OpResult[] = [];
  let lastAppliedSeq = 0;
  for (let i = 0; i < sorted.length;) {
    const pushed = await pushGroup(db, device, sorted.slice(i, i + Math.max(1, groupMax)));
    for (const p of pushed) {
      results.push(p.result);
      lastAppliedSeq = p.lastSeq;
    }
    i += pushed.length;
  }
  return { results, lastAppliedSeq };
}
