import { uuidv7 } from '../../../src-shared/ids';
import type { Operation } from '../../../src-shared/operations';

/** A valid adjust op at `seq`, for protocol-level tests that need ops but no store. */
export function adjustOp(seq: number, productId = '01900000-0000-7000-8000-0000000000aa'): Operation {
  return {
    opId: uuidv7(), seq, occurredAt: new Date().toISOString(), type: 'adjust',
    payload: { adjustmentId: uuidv7(), reason: 'found', lines: [{ productId, quantityDelta: 1 }] },
  };
}
