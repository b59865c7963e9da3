import { createHash } from 'node:crypto';
import { DomainError, isDomainError, parseOrThrow } from '../../src-shared/errors';
import { canonicalJson, Operation } from '../../src-shared/operations';
import { MAX_PUSH_BATCH, type OpResult, type PushResponse } from '../../src-shared/sync';
import type { Database, Queryable } from '../db/database';
import { applyOperation } from './apply/index';
import type { ApplyOutcome, DeviceContext } from './context';
import { isRetryable, refusalFromConstraint, sqlState } from './pg-errors';

export type { DeviceContext } from './context';

const MAX_ATTEMPTS = 5;

export function opHash(op: Operation): string {
  return createHash('sha256').update(canonicalJson(op)).digest('hex');
}

interface DeviceRow { warehouse_id: string; last_applied_seq: number | string; revoked_at: Date | null }

async function lockDevice(tx: Queryable, device: DeviceContext): Promise<{ warehouseId: string; lastSeq: number }> {
  const r = await tx.query<DeviceRow>(
    `SELECT warehouse_id, last_applied_seq, revoked_at FROM devices WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [device.tenantId, device.deviceId]);
  const row = r.rows[0];
  if (!row || row.revoked_at !== null) throw new DomainError('unauthorized', 'unknown or revoked device');
  if (row.warehouse_id !== device.warehouseId.toLowerCase()) throw new DomainError('unauthorized', 'the device belongs to another warehouse');
  return { warehouseId: row.warehouse_id, lastSeq: Number(row.last_applied_seq) };
}

/** R1/R3: a seq already applied answers its stored result if it is the same op, else it is a conflict. */
async function storedResult(tx: Queryable, device: DeviceContext, op: Operation, hash: string): Promise<OpResult> {
  const r = await tx.query<{ op_id: string; device_id: string; payload_hash: string; result: OpResult }>(
    `SELECT op_id, device_id, payload_hash, result FROM applied_ops
      WHERE tenant_id = $1 AND (op_id = $2 OR (device_id = $3 AND seq = $4))`,
    [device.tenantId, op.opId, device.deviceId, op.seq]);
  const same = r.rows.find((x) => x.op_id === op.opId.toLowerCase() && x.device_id === device.deviceId.toLowerCase() && x.payload_hash === hash);
  if (same && r.rows.length === 1) return same.result;
  throw new DomainError('op_conflict', `op ${op.opId} (seq ${op.seq}) does not match what was applied before`, { opId: op.opId, seq: op.seq });
}

/** Carries a business refusal out of the transaction so its partial writes roll back with it. */
class Refusal extends Error {
  constructor(readonly refusal: DomainError) {
    super(refusal.message);
  }
}

function toResult(op: Operation, outcome: ApplyOutcome): OpResult {
  const result: OpResult = { opId: op.opId, seq: op.seq, status: outcome.status };
  if (outcome.result) result.result = outcome.result;
  if (outcome.error) result.error = outcome.error;
  return result;
}

async function record(tx: Queryable, device: DeviceContext, op: Operation, hash: string, result: OpResult): Promise<void> {
  try {
    await tx.query(
      `WITH a AS (
         INSERT INTO applied_ops (tenant_id, op_id, device_id, seq, type, payload_hash, status, result)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       )
       UPDATE devices SET last_applied_seq = $4 WHERE tenant_id = $1 AND id = $3`,
      [device.tenantId, op.opId, device.deviceId, op.seq, op.type, hash, result.status, JSON.stringify(result)]);
  } catch (e) {
    // The op id was already used at another seq (or by another device): R3.
    if (sqlState(e) === '23505') throw new DomainError('op_conflict', `op id ${op.opId} was already used`, { opId: op.opId, seq: op.seq });
    throw e;
  }
}

/** Locks the device and checks the op's seq; returns the stored result when the op was applied before (R1-R3). */
async function admit(tx: Queryable, device: DeviceContext, op: Operation, hash: string): Promise<{ warehouseId: string; stored: OpResult | null; lastSeq: number }> {
  const { warehouseId, lastSeq } = await lockDevice(tx, device);
  if (op.seq <= lastSeq) return { warehouseId, stored: await storedResult(tx, device, op, hash), lastSeq };
  if (op.seq > lastSeq + 1) throw new DomainError('sequence_gap', `expected seq ${lastSeq + 1}, got ${op.seq}`, { expectedSeq: lastSeq + 1 });
  return { warehouseId, stored: null, lastSeq };
}

/**
 * One op in one transaction: its effects, its stored result and the device's
 * seq advance together. A refusal thrown part-way aborts that transaction (so
 * nothing half-written survives, with no savepoint on the common path) and is
 * then recorded in a transaction of its own (R4).
 */
async function pushOne(db: Database, device: DeviceContext, op: Operation, hash: string): Promise<{ result: OpResult; lastSeq: number }> {
  try {
    return await db.withTenant(device.tenantId, async (tx) => {
      const { warehouseId, stored, lastSeq } = await admit(tx, device, op, hash);
      if (stored) return { result: stored, lastSeq };
      let outcome: ApplyOutcome;
      try {
        outcome = await applyOperation({ tx, tenantId: device.tenantId, warehouseId, deviceId: device.deviceId, opId: op.opId, occurredAt: op.occurredAt }, op);
      } catch (e) {
        const refusal = isDomainError(e) ? e : refusalFromConstraint(e);
        throw refusal ? new Refusal(refusal) : e;
      }
      const result = toResult(op, outcome);
      await record(tx, device, op, hash, result);
      return { result, lastSeq: op.seq };
    });
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    return db.withTenant(device.tenantId, async (tx) => {
      const { stored, lastSeq } = await admit(tx, device, op, hash);
      if (stored) return { result: stored, lastSeq };
      const result = toResult(op, { status: 'refused', error: e.refusal.toBody() });
      await record(tx, device, op, hash, result);
      return { result, lastSeq: op.seq };
    });
  }
}

/**
 * Applies a device's batch in seq order (docs/conflicts.md R1-R5). Throws
 * `sequence_gap` (409) and `op_conflict` (422) as DomainErrors; any other
 * thrown error is transient (503) and left nothing of the failing op behind.
 */
export async function pushOperations(db: Database, device: DeviceContext, ops: readonly unknown[]): Promise<PushResponse> {
  if (ops.length === 0) throw new DomainError('validation', 'the batch is empty');
  if (ops.length > MAX_PUSH_BATCH) throw new DomainError('validation', `at most ${MAX_PUSH_BATCH} operations per batch`);
  const parsed = ops.map((op, i) => parseOrThrow(Operation, op, `operation ${i}`));
  const sorted = parsed.map((op) => ({ op, hash: opHash(op) })).sort((a, b) => a.op.seq - b.op.seq);
  const results: OpResult[] = [];
  let lastAppliedSeq = 0;
  for (const { op, hash } of sorted) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const r = await pushOne(db, device, op, hash);
        results.push(r.result);
        lastAppliedSeq = r.lastSeq;
        break;
      } catch (e) {
        if (attempt < MAX_ATTEMPTS && isRetryable(e)) continue;
        throw e;
      }
    }
  }
  return { results, lastAppliedSeq };
}
