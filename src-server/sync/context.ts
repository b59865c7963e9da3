import type { ErrorBody } from '../../src-shared/errors';
import type { OpStatus } from '../../src-shared/sync';
import type { Queryable } from '../db/database';
import type { RecordBuffer } from './records';

/** Who is pushing or pulling: always from the device token, never from a request body. */
export interface DeviceContext {
  tenantId: string;
  warehouseId: string;
  deviceId: string;
}

/** What an op handler gets: the open transaction and where the op comes from. */
export interface OpContext {
  tx: Queryable;
  tenantId: string;
  warehouseId: string;
  deviceId: string;
  opId: string;
  occurredAt: string;
  /** Where the op's domain record goes; written before the op's result is stored. */
  records: RecordBuffer;
}

/** The stored outcome of one op; a refusal that also wrote records (a refused reservation) returns status refused. */
export interface ApplyOutcome {
  status: OpStatus;
  result?: Record<string, unknown>;
  error?: ErrorBody;
}
