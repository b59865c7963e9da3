import { createHash } from 'node:crypto';
import { DomainError } from '../../src-shared/errors';
import { canonicalJson, type Operation } from '../../src-shared/operations';
import type { OpResult } from '../../src-shared/sync';
import type { Queryable } from '../db/database';
import type { ApplyOutcome, DeviceContext } from './context';
import { sqlState } from './pg-errors';

/*
 * The device's row and `applied_ops`: what makes an op apply exactly once
 * (docs/conflicts.md R1-R3). Both push paths (one op per transaction, and a
 * group of ops per transaction) go through these.
 */

/** An op as push handles it: parsed, with the hash that tells a re-send from a different op under the same id. */
export interface HashedOp {
  op: Operation;
  hash: string;
}

export function opHash(op: Operation): string {
  return createHash('sha256').update(canonicalJson(op)).digest('hex');
}

interface DeviceRow { warehouse_id: string; last_applied_seq: number | string; revoked_at: Date | null }

/** Locks the device's row for the transaction: one device's ops are applied one transaction at a time. */
export async function lockDevice(tx: Queryable, device: DeviceContext): Promise<{ warehouseId: string; lastSeq: number }> {
  const r = await tx.query<DeviceRow>(
    `SELECT warehouse_id, last_applied_seq, revoked_at FROM devices WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [device.tenantId, device.deviceId]);
  const row = r.rows[0];
  if (!row || row.revoked_at !== null) throw new DomainError('unauthorized', 'unknown or revoked device');
  if (row.warehouse_id !== device.warehouseId.toLowerCase()) throw new DomainError('unauthorized', 'the device belongs to another warehouse');
  return { warehouseId: row.warehouse_id, lastSeq: Number(row.last_applied_seq) };
}

/** R1/R3: a seq already applied answers its stored result if it is the same op, else it is a conflict. */
export async function storedResult(tx: Queryable, device: DeviceContext, { op, hash }: HashedOp): Promise<OpResult> {
  const r = await tx.query<{ op_id: string; device_id: string; payload_hash: string; result: OpResult }>(
    `SELECT op_id, device_id, payload_hash, result FROM applied_ops
      WHERE tenant_id = $1 AND (op_id = $2 OR (device_id = $3 AND seq = $4))`,
    [device.tenantId, op.opId, device.deviceId, op.seq]);
  const same = r.rows.find((x) => x.op_id === op.opId.toLowerCase() && x.device_id === device.deviceId.toLowerCase() && x.payload_hash === hash);
  if (same && r.rows.length === 1) return same.result;
  throw new DomainError('op_conflict', `op ${op.opId} (seq ${op.seq}) does not match what was applied before`, { opId: op.opId, seq: op.seq });
}

export function toResult(op: Operation, outcome: ApplyOutcome): OpResult {
  const result: OpResult = { opId: op.opId, seq: op.seq, status: outcome.status };
  if (outcome.result) result.result = outcome.result;
  if (outcome.error) result.error = outcome.error;
  return result;
}

export interface AppliedRecord extends HashedOp {
  result: OpResult;
}

/**
 * Stores the ops' results and advances the device's last applied seq to the
 * last of them, in one statement of the transaction that applied them.
 * `records` are consecutive seqs, in order.
 */
export async function recordApplied(tx: Queryable, device: DeviceContext, records: readonly AppliedRecord[]): Promise<void> {
  const last = records[records.length - 1];
  if (!last) return;
  try {
    await tx.query(
      `WITH a AS (
         INSERT INTO applied_ops (tenant_id, op_id, device_id, seq, type, payload_hash, status, result)
         SELECT $1, op_id, $2, seq, type, payload_hash, status, result
           FROM unnest($3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::jsonb[]) AS r(op_id, seq, type, payload_hash, status, result)
       )
       UPDATE devices SET last_applied_seq = $9 WHERE tenant_id = $1 AND id = $2`,
      [device.tenantId, device.deviceId, records.map((r) => r.op.opId), records.map((r) => r.op.seq), records.map((r) => r.op.type),
        records.map((r) => r.hash), records.map((r) => r.result.status), records.map((r) => JSON.stringify(r.result)), last.op.seq]);
  } catch (e) {
    // An op id already used at another seq (or by another device): R3.
    if (sqlState(e) === '23505') {
      const what = records.length === 1 ? `op id ${last.op.opId} was already used` : 'an op id of the group was already used';
      throw new DomainError('op_conflict', what, records.length === 1 ? { opId: last.op.opId, seq: last.op.seq } : undefined);
    }
    throw e;
  }
}
