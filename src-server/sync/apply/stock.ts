import type { AdjustPayload, CountPayload, ReceivePayload } from '../../../src-shared/operations';
import type { ApplyOutcome, OpContext } from '../context';
import { markPurchaseOrderReceived } from '../../admin/purchase-orders';
import { applyDeltas, flagNegative, raiseDiscrepancies, type NewDiscrepancy } from '../levels';

/** R12: a receipt adds what arrived; a purchase-order line that differs from what was expected is noted. */
export async function applyReceive(c: OpContext, p: ReceivePayload): Promise<ApplyOutcome> {
  c.records.add('receipts', { id: p.receiptId, warehouse_id: c.warehouseId, device_id: c.deviceId, op_id: c.opId, payload: p, occurred_at: c.occurredAt });
  await applyDeltas(c, c.warehouseId, p.lines.map((l) => ({ productId: l.productId, quantity: l.receivedQuantity })), 'receive', p.receiptId);
  const noted: NewDiscrepancy[] = [];
  for (const l of p.lines) {
    if (l.expectedQuantity === undefined || l.expectedQuantity === l.receivedQuantity) continue;
    const diff = l.receivedQuantity - l.expectedQuantity;
    noted.push({ productId: l.productId, kind: diff < 0 ? 'short_receipt' : 'over_receipt', quantity: Math.abs(diff) });
  }
  const discrepancyIds = await raiseDiscrepancies(c, c.warehouseId, noted, p.receiptId);
  // A ref central does not know (typed at the till for a PO made elsewhere) is still a receipt; it just closes nothing.
  const purchaseOrderId = p.source.kind === 'purchase_order'
    ? await markPurchaseOrderReceived(c.tx, c.tenantId, c.warehouseId, p.source.purchaseOrderRef, p.receiptId) : null;
  return { status: 'applied', result: { receiptId: p.receiptId, discrepancyIds, ...(purchaseOrderId ? { purchaseOrderId } : {}) } };
}

/** R12/R14: an adjustment is a signed delta; a debit below zero is applied and flagged. */
export async function applyAdjust(c: OpContext, p: AdjustPayload): Promise<ApplyOutcome> {
  c.records.add('adjustments', { id: p.adjustmentId, warehouse_id: c.warehouseId, device_id: c.deviceId, op_id: c.opId, reason: p.reason, payload: p, occurred_at: c.occurredAt });
  const after = await applyDeltas(c, c.warehouseId, p.lines.map((l) => ({ productId: l.productId, quantity: l.quantityDelta })), 'adjust', p.adjustmentId);
  const debited = new Set(p.lines.filter((l) => l.quantityDelta < 0).map((l) => l.productId.toLowerCase()));
  const discrepancyIds = await flagNegative(c, c.warehouseId, after, debited, p.adjustmentId);
  return { status: 'applied', result: { adjustmentId: p.adjustmentId, discrepancyIds } };
}

/** R13: a count applies counted - expected, so sales made since the count are kept. */
export async function applyCount(c: OpContext, p: CountPayload): Promise<ApplyOutcome> {
  c.records.add('counts', { id: p.countId, warehouse_id: c.warehouseId, device_id: c.deviceId, op_id: c.opId, payload: p, occurred_at: c.occurredAt });
  const deltas = p.lines.map((l) => ({ productId: l.productId, quantity: l.counted - l.expected }));
  const after = await applyDeltas(c, c.warehouseId, deltas, 'count', p.countId);
  const debited = new Set(deltas.filter((d) => d.quantity < 0).map((d) => d.productId.toLowerCase()));
  const discrepancyIds = await flagNegative(c, c.warehouseId, after, debited, p.countId);
  return { status: 'applied', result: { countId: p.countId, applied: deltas.filter((d) => d.quantity !== 0).length, discrepancyIds } };
}
