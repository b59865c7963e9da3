import type { ReturnPayload, SalePayload } from '../../../src-shared/operations';
import type { ApplyOutcome, OpContext } from '../context';
import { applyDeltas, flagNegative } from '../levels';

function saleTotal(p: SalePayload): number {
  return p.lines.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
}

/** R6: a sale happened, so it is applied without an availability check; going negative raises a discrepancy. */
export async function applySale(c: OpContext, p: SalePayload): Promise<ApplyOutcome> {
  await c.tx.query(
    `INSERT INTO sales (tenant_id, id, warehouse_id, device_id, op_id, receipt_no, currency, total_minor, payload, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [c.tenantId, p.saleId, c.warehouseId, c.deviceId, c.opId, p.receiptNo, p.currency, saleTotal(p), JSON.stringify(p), c.occurredAt],
  );
  const after = await applyDeltas(c, c.warehouseId, p.lines.map((l) => ({ productId: l.productId, quantity: -l.quantity })), 'sale', p.saleId);
  const discrepancyIds = await flagNegative(c, c.warehouseId, after, new Set(after.map((l) => l.productId)), p.saleId);
  return { status: 'applied', result: { saleId: p.saleId, discrepancyIds } };
}

/** R7: goods came back; the lines credit the shelf. */
export async function applyReturn(c: OpContext, p: ReturnPayload): Promise<ApplyOutcome> {
  await c.tx.query(
    `INSERT INTO returns (tenant_id, id, warehouse_id, device_id, op_id, sale_id, payload, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [c.tenantId, p.returnId, c.warehouseId, c.deviceId, c.opId, p.saleId ?? null, JSON.stringify(p), c.occurredAt],
  );
  await applyDeltas(c, c.warehouseId, p.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })), 'return', p.returnId);
  return { status: 'applied', result: { returnId: p.returnId } };
}
