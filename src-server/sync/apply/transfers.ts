import { DomainError } from '../../../src-shared/errors';
import type { TransferInPayload, TransferOutPayload } from '../../../src-shared/operations';
import type { ApplyOutcome, OpContext } from '../context';
import { applyDeltas, enqueueOutbox, flagNegative, mergeLines, raiseDiscrepancies, type NewDiscrepancy } from '../levels';
import { settleReceipt, transferStatus } from './transfer-settle';

/**
 * R18: a dispatch and its receipt, pushed by two devices at the same moment,
 * would each miss the other's uncommitted row (the receipt held, the dispatch
 * finding nothing to match) and leave the receipt unmatched for good. Both
 * take this per-transfer lock first; under READ COMMITTED the second then sees
 * what the first committed. Taken before any level row, so no lock cycle.
 */
async function lockTransfer(c: OpContext, transferId: string): Promise<void> {
  await c.tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::text || '/' || $2::text, 0))`, [c.tenantId, transferId.toLowerCase()]);
}

/** R15: the source is debited at once; the destination hears of it through the outbox (R16). */
export async function applyTransferOut(c: OpContext, p: TransferOutPayload): Promise<ApplyOutcome> {
  await lockTransfer(c, p.transferId);
  if (p.toWarehouseId.toLowerCase() === c.warehouseId) throw new DomainError('validation', 'a transfer must go to another warehouse');
  const to = await c.tx.query(`SELECT 1 FROM warehouses WHERE tenant_id = $1 AND id = $2`, [c.tenantId, p.toWarehouseId]);
  if (to.rowCount === 0) throw new DomainError('unknown_warehouse', `unknown warehouse ${p.toWarehouseId}`, { warehouseId: p.toWarehouseId });
  const lines = mergeLines(p.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })));
  await c.tx.query(
    `INSERT INTO transfers (tenant_id, id, from_warehouse_id, to_warehouse_id, status, note, op_id, device_id, dispatched_at)
     VALUES ($1, $2, $3, $4, 'in_transit', $5, $6, $7, $8)`,
    [c.tenantId, p.transferId, c.warehouseId, p.toWarehouseId, p.note ?? null, c.opId, c.deviceId, c.occurredAt]);
  const after = await applyDeltas(c, c.warehouseId, lines.map((l) => ({ productId: l.productId, quantity: -l.quantity })), 'transfer_out', p.transferId);
  await c.tx.query(
    `INSERT INTO transfer_lines (tenant_id, transfer_id, product_id, dispatched) SELECT $1, $2, p, q FROM unnest($3::uuid[], $4::int[]) AS x(p, q)`,
    [c.tenantId, p.transferId, lines.map((l) => l.productId), lines.map((l) => l.quantity)]);
  const discrepancyIds = await flagNegative(c, c.warehouseId, after, new Set(after.map((l) => l.productId)), p.transferId);

  // R18: receipts that reached central before this dispatch are matched now.
  const held = await c.tx.query<{ op_id: string; warehouse_id: string; lines: { productId: string; quantity: number }[] }>(
    `SELECT op_id, warehouse_id, lines FROM transfer_receipts
      WHERE tenant_id = $1 AND transfer_id = $2 AND matched_at IS NULL ORDER BY received_at, op_id FOR UPDATE`,
    [c.tenantId, p.transferId]);
  const noted: NewDiscrepancy[] = [];
  for (const r of held.rows) {
    if (r.warehouse_id !== p.toWarehouseId.toLowerCase()) continue;
    noted.push(...await settleReceipt(c, p.transferId, p.toWarehouseId, r.lines));
    await c.tx.query(`UPDATE transfer_receipts SET matched_at = now() WHERE tenant_id = $1 AND op_id = $2`, [c.tenantId, r.op_id]);
  }
  const settledIds = await raiseDiscrepancies(c, p.toWarehouseId.toLowerCase(), noted, p.transferId);
  const status = await transferStatus(c, p.transferId);
  await enqueueOutbox(c, 'transfer.dispatched', { transferId: p.transferId, toWarehouseId: p.toWarehouseId.toLowerCase() });
  return { status: 'applied', result: { transferId: p.transferId, transferStatus: status, discrepancyIds: [...discrepancyIds, ...settledIds], matchedReceipts: held.rowCount } };
}

/** R17/R18: the destination is credited with what arrived; the transfer is settled now, or when its dispatch arrives. */
export async function applyTransferIn(c: OpContext, p: TransferInPayload): Promise<ApplyOutcome> {
  await lockTransfer(c, p.transferId);
  const t = await c.tx.query<{ to_warehouse_id: string; from_warehouse_id: string }>(
    `SELECT to_warehouse_id, from_warehouse_id FROM transfers WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [c.tenantId, p.transferId]);
  const transfer = t.rows[0];
  if (transfer && transfer.to_warehouse_id !== c.warehouseId) {
    throw new DomainError('forbidden', `transfer ${p.transferId} is not addressed to this warehouse`);
  }
  const lines = mergeLines(p.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })));
  await applyDeltas(c, c.warehouseId, lines, 'transfer_in', p.transferId);
  if (!transfer) {
    const from = await c.tx.query(`SELECT 1 FROM warehouses WHERE tenant_id = $1 AND id = $2`, [c.tenantId, p.fromWarehouseId]);
    if (from.rowCount === 0) throw new DomainError('unknown_warehouse', `unknown warehouse ${p.fromWarehouseId}`, { warehouseId: p.fromWarehouseId });
    await c.tx.query(
      `INSERT INTO transfer_receipts (tenant_id, op_id, transfer_id, warehouse_id, from_warehouse_id, lines, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [c.tenantId, c.opId, p.transferId, c.warehouseId, p.fromWarehouseId, JSON.stringify(lines.map((l) => ({ productId: l.productId, quantity: l.quantity }))), c.occurredAt]);
    return { status: 'applied', result: { transferId: p.transferId, held: true } };
  }
  const noted = await settleReceipt(c, p.transferId, c.warehouseId, lines.map((l) => ({ productId: l.productId, quantity: l.quantity })));
  const discrepancyIds = await raiseDiscrepancies(c, c.warehouseId, noted, p.transferId);
  const status = await transferStatus(c, p.transferId);
  return { status: 'applied', result: { transferId: p.transferId, held: false, transferStatus: status, discrepancyIds } };
}
