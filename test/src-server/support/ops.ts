import type { Operation } from '../../../src-shared/operations';
import { uuidv7 } from '../../../src-shared/ids';
import type { DeviceContext } from '../../../src-server/sync/context';
import type { SeededDevice } from './seed';

/*
 * Builds valid operations for one device, numbering seqs from 1 like the
 * branch outbox does.
 */

type Payload<T extends Operation['type']> = Extract<Operation, { type: T }>['payload'];

export interface OpBuilder {
  ctx: DeviceContext;
  next<T extends Operation['type']>(type: T, payload: Payload<T>): Operation;
  sale(lines: { productId: string; quantity: number }[]): Operation;
  reserve(lines: { productId: string; quantity: number }[], reservationId?: string): Operation;
}

export function deviceContext(tenantId: string, d: SeededDevice): DeviceContext {
  return { tenantId, warehouseId: d.warehouseId, deviceId: d.deviceId };
}

export const customer = { name: 'Rami Haddad', phone: '+961 3 123 456' };

let receiptCounter = 0;

export function opBuilder(tenantId: string, d: SeededDevice, startSeq = 1): OpBuilder {
  let seq = startSeq - 1;
  const next = <T extends Operation['type']>(type: T, payload: Payload<T>): Operation => {
    seq += 1;
    return { opId: uuidv7(), seq, occurredAt: new Date().toISOString(), type, payload } as Operation;
  };
  return {
    ctx: deviceContext(tenantId, d),
    next,
    sale: (lines) => {
      receiptCounter += 1;
      return next('sale', {
        saleId: uuidv7(), receiptNo: receiptCounter, currency: 'USD',
        lines: lines.map((l) => ({ ...l, unitPriceMinor: 250, taxRateBp: 1100 })),
        payments: [{ method: 'cash', currency: 'USD', amountMinor: 250 * lines.reduce((s, l) => s + l.quantity, 0) }],
      });
    },
    reserve: (lines, reservationId = uuidv7()) => next('reserve', { reservationId, customer, lines }),
  };
}
