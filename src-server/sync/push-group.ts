import { isDomainError } from '../../src-shared/errors';
import type { Operation } from '../../src-shared/operations';
import type { Database, Queryable } from '../db/database';
import { applyOperation } from './apply/index';
import { lockDevice, recordApplied, storedResult, toResult, type AppliedRecord, type HashedOp } from './applied-ops';
import type { DeviceContext } from './context';
import { isRetryable, refusalFromConstraint } from './pg-errors';
import { pushOne, type Pushed } from './push-one';
import { recordBuffer } from './records';

/*
 * Group commit: a run of a device's ops applied in one transaction, which
 * locks the device once, applies each op, then stores every result and
 * advances the seq in one statement before the one commit. Each op's effects,
 * its result and its seq still commit together, all or nothing (R2); what the
 * ops of a group share is the commit. A branch that was offline for a day
 * drains thousands of ops, and one transaction per op spent most of its time
 * on round trips and commits, not on the ops.
 *
 * Anything out of the ordinary is left to the one-op path, never worked
 * around here: when an op of the group would be refused, is a re-send that
 * does not match (or comes after new ops), or is out of sequence, the
 * group's transaction is rolled back (nothing of it survives), the ops before
 * it are applied again as a group, and that op goes through pushOne exactly
 * as it would alone (R1-R5). Re-sends that match, at the head of a batch, are
 * answered inside the group from their stored results.
 */

/** Thrown inside the group's transaction to roll it back at the op with this index. */
class StopAt extends Error {
  constructor(readonly index: number) {
    super(`group stopped at op ${index}`);
  }
}

/** A record of the group was refused when written (an id used twice): only the one-op path can say whose. */
class OneAtATime extends Error {}

type GroupOutcome = { kind: 'done'; pushed: Pushed[] } | { kind: 'stop'; index: number } | { kind: 'one_at_a_time' };

/**
 * Ops whose every lock is known before they run: the level rows at the
 * device's own warehouse that their lines name. Transfers (the transfer row,
 * then levels, as the outbox worker also takes them) and the closing of a
 * reservation (its row, then levels) take other rows first; in a group that
 * already holds its level rows they would lock in the opposite order and
 * could deadlock, so they are applied alone, one op per transaction.
 */
const GROUPED: ReadonlySet<Operation['type']> = new Set(['sale', 'return', 'reserve', 'receive', 'adjust', 'count']);

/** The leading run of `group` that may share a transaction (at least one op, the first, if it may). */
function groupable(group: readonly HashedOp[]): readonly HashedOp[] {
  const end = group.findIndex((h) => !GROUPED.has(h.op.type));
  return end === -1 ? group : group.slice(0, end);
}

/** The products whose level rows at the device's own warehouse the group's ops name in their lines. */
function productsNamed(group: readonly HashedOp[]): string[] {
  const ids = new Set<string>();
  for (const { op } of group) {
    if ('lines' in op.payload) for (const l of op.payload.lines) ids.add(l.productId.toLowerCase());
  }
  return [...ids].sort();
}

/**
 * Locks those level rows up front, in product order. Ops of one group take
 * their rows in the order the shop sold, and two tills of a branch draining
 * at once would otherwise lock the same rows crosswise and deadlock (measured:
 * 4 tills x 1,000 ops, 11 deadlocks, slower than one op per transaction);
 * taken in one order, one group waits for the other instead.
 */
async function lockLevels(tx: Queryable, device: DeviceContext, warehouseId: string, productIds: readonly string[]): Promise<void> {
  if (productIds.length === 0) return;
  await tx.query(
    `SELECT 1 FROM inventory_levels WHERE tenant_id = $1 AND warehouse_id = $2 AND product_id = ANY($3::uuid[]) ORDER BY product_id FOR UPDATE`,
    [device.tenantId, warehouseId, productIds]);
}

async function tryGroup(db: Database, device: DeviceContext, group: readonly HashedOp[]): Promise<GroupOutcome> {
  try {
    const pushed = await db.withTenant(device.tenantId, async (tx) => {
      const locked = await lockDevice(tx, device);
      await lockLevels(tx, device, locked.warehouseId, productsNamed(group));
      let lastSeq = locked.lastSeq;
      const out: Pushed[] = [];
      const fresh: AppliedRecord[] = [];
      const records = recordBuffer();
      for (const [index, h] of group.entries()) {
        if (h.op.seq <= lastSeq && fresh.length === 0) {
          // A re-send (R1): answered from the stored result; a mismatch (R3) is for pushOne to report.
          const result = await storedResult(tx, device, h).catch(() => { throw new StopAt(index); });
          out.push({ result, lastSeq });
          continue;
        }
        if (h.op.seq !== lastSeq + 1) throw new StopAt(index);
        const ctx = { tx, tenantId: device.tenantId, warehouseId: locked.warehouseId, deviceId: device.deviceId, opId: h.op.opId, occurredAt: h.op.occurredAt, records };
        const outcome = await applyOperation(ctx, h.op).catch((e: unknown) => {
          throw isDomainError(e) || refusalFromConstraint(e) ? new StopAt(index) : e;
        });
        const result = toResult(h.op, outcome);
        fresh.push({ ...h, result });
        lastSeq = h.op.seq;
        out.push({ result, lastSeq });
      }
      await records.flush(tx, device.tenantId).catch((e: unknown) => {
        throw refusalFromConstraint(e) ? new OneAtATime() : e;
      });
      await recordApplied(tx, device, fresh);
      return out;
    });
    return { kind: 'done', pushed };
  } catch (e) {
    if (e instanceof StopAt) return { kind: 'stop', index: e.index };
    if (e instanceof OneAtATime) return { kind: 'one_at_a_time' };
    // A deadlock with another device's group, or an op id reused within the
    // group (only the one-op path can say which op): smaller transactions.
    if (isRetryable(e) || (isDomainError(e) && e.code === 'op_conflict')) return { kind: 'one_at_a_time' };
    throw e;
  }
}

/**
 * Applies a prefix of `group` (at least its first op) and returns what was
 * pushed, in seq order; the caller goes on from there. Throws what pushOne
 * throws (sequence_gap, op_conflict, transient errors) once the ops before
 * the failing one are committed, as one op per transaction would.
 */
export async function pushGroup(db: Database, device: DeviceContext, group: readonly HashedOp[]): Promise<Pushed[]> {
  const first = group[0];
  if (!first) return [];
  const run = groupable(group);
  if (run.length <= 1) return [await pushOne(db, device, first)];
  const outcome = await tryGroup(db, device, run);
  if (outcome.kind === 'done') return outcome.pushed;
  if (outcome.kind === 'stop' && outcome.index > 0) return pushGroup(db, device, run.slice(0, outcome.index));
  if (outcome.kind === 'stop') return [await pushOne(db, device, first)];
  const pushed: Pushed[] = [];
  for (const h of run) pushed.push(await pushOne(db, device, h));
  return pushed;
}
