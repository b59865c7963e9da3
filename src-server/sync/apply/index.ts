import type { Operation } from '../../../src-shared/operations';
import type { ApplyOutcome, OpContext } from '../context';
import { applyFulfil, applyRelease, applyReserve } from './reservations';
import { applyReturn, applySale } from './sales';
import { applyAdjust, applyCount, applyReceive } from './stock';
import { applyTransferIn, applyTransferOut } from './transfers';

/** One handler per op type, by the conflict policy (docs/conflicts.md). */
export function applyOperation(c: OpContext, op: Operation): Promise<ApplyOutcome> {
  switch (op.type) {
    case 'sale': return applySale(c, op.payload);
    case 'return': return applyReturn(c, op.payload);
    case 'reserve': return applyReserve(c, op.payload);
    case 'release': return applyRelease(c, op.payload);
    case 'fulfil': return applyFulfil(c, op.payload);
    case 'receive': return applyReceive(c, op.payload);
    case 'adjust': return applyAdjust(c, op.payload);
    case 'count': return applyCount(c, op.payload);
    case 'transfer_out': return applyTransferOut(c, op.payload);
    case 'transfer_in': return applyTransferIn(c, op.payload);
  }
}
