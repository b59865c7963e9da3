import { DomainError, isDomainError } from '../../src-shared/errors';
import type { OpResult } from '../../src-shared/sync';
import type { Database, Queryable } from '../db/database';
import { applyOperation } from './apply/index';
import { lockDevice, recordApplied, storedResult, toResult, type HashedOp } from './applied-ops';
import type { ApplyOutcome, DeviceContext } from './context';
import { recordBuffer } from './records';
import { isRetryable, refusalFromConstraint } from './pg-errors';

export interface Pushed {
  result: OpResult;
  /** The device's last applied seq once this op is done. */
  lastSeq: number;
}

const MAX_ATTEMPTS = 5;

/** Locks the device and checks the op's seq; returns the stored result when the op was applied before (R1-R3). */
async function admit(tx: Queryable, device: DeviceContext, h: HashedOp): Promise<{ warehouseId: string; stored: OpResult | null; lastSeq: number }> {
  const { warehouseId, lastSeq } = await lockDevice(tx, device);
  if (h.op.seq <= lastSeq) return { warehouseId, stored: await storedResult(tx, device, h), lastSeq };
  if (h.op.seq > lastSeq + 1) throw new DomainError('sequence_gap', `expected seq ${lastSeq + 1}, got ${h.op.seq}`, { expectedSeq: lastSeq + 1 });
  return { warehouseId, stored: null, lastSeq };
}

/** Carries a business refusal out of the transaction so its partial writes roll back with it. */
class Refusal extends Error {
  constructor(readonly refusal: DomainError) {
    super(refusal.message);
  }
}

/**
 * One op in one transaction: its effects, its stored result and the device's
 * seq advance together. A refusal thrown part-way aborts that transaction (so
 * nothing half-written survives, with no savepoint on the common path) and is
 * then recorded in a transaction of its own (R4). This is the exact path that
 * a group falls back to whenever something is out of the ordinary.
 */
async function pushOnce(db: Database, device: DeviceContext, h: HashedOp): Promise<Pushed> {
  try {
    return await db.withTenant(device.tenantId, async (tx) => {
      const { warehouseId, stored, lastSeq } = await admit(tx, device, h);
      if (stored) return { result: stored, lastSeq };
      let outcome: ApplyOutcome;
      try {
        const records = recordBuffer();
        outcome = await applyOperation({ tx, tenantId: device.tenantId, warehouseId, deviceId: device.deviceId, opId: h.op.opId, occurredAt: h.op.occurredAt, records }, h.op);
        await records.flush(tx, device.tenantId);
      } catch (e) {
        const refusal = isDomainError(e) ? e : refusalFromConstraint(e);
        throw refusal ? new Refusal(refusal) : e;
      }
      const result = toResult(h.op, outcome);
      await recordApplied(tx, device, [{ ...h, result }]);
      return { result, lastSeq: h.op.seq };
    });
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    return db.withTenant(device.tenantId, async (tx) => {
      const { stored, lastSeq } = await admit(tx, device, h);
      if (stored) return { result: stored, lastSeq };
      const result = toResult(h.op, { status: 'refused', error: e.refusal.toBody() });
      await recordApplied(tx, device, [{ ...h, result }]);
      return { result, lastSeq: h.op.seq };
    });
  }
}

/** pushOnce, run again after a deadlock or a serialization failure (nothing of the failed attempt survived). */
export async function pushOne(db: Database, device: DeviceContext, h: HashedOp): Promise<Pushed> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await pushOnce(db, device, h);
    } catch (e) {
      if (attempt < MAX_ATTEMPTS && isRetryable(e)) continue;
      throw e;
    }
  }
}
