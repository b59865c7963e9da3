import type { ReturnPayload, SalePayload } from '../../../src-shared/operations';
import type { ApplyOutcome, OpContext } from '../context';
import { applyDeltas, flagNegative } from '../levels';

function saleTotal(p: SalePayload): number {
  return p.lines.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
}

/** R6: a sale happened, so it is applied without an availability check; going negative raises a discrepancy. */
export async function applySale(c: OpContext, p: SalePayload): Promise<ApplyOutcome> {
  c.records.add('sales', {
    id: p.saleId, warehouse_id: c.warehouseId, device_id: c.deviceId, op_id: c.opId, receipt_no: p.receiptNo,
    currency: p.currency, total_minor: saleTotal(p), payload: p, occurred_at: c.occurredAt,
  });
  const after = await applyDeltas(c, c.warehouseId, p.lines.map((l) => ({ productId: l.productId, quantity: -l.quantity })), 'sale', p.saleId);
  const discrepancyIds = await flagNegative(c, c.warehouseId, after, new Set(after.map((l) => l.productId)), p.saleId);
  return { status: 'applied', result: { saleId: p.saleId, discrepancyIds } };
}

/** R7: goods came back; the lines credit the shelf. */
export async function applyReturn(c: OpContext, p: ReturnPayload): Promise<ApplyOutcome> {
  c.records.add('returns', { id: p.returnId, warehouse_id: c.warehouseId, device_id: c.deviceId, op_id: c.opId, sale_id: p.saleId ?? null, payload: p, occurred_at: c.occurredAt });
  await applyDeltas(c, c.warehouseId, p.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })), 'return', p.returnId);
  return { status: 'applied', result: { returnId: p.returnId } };
}
