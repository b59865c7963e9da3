import type { TransferStatus } from '../../../src-shared/sync';
import type { OpContext } from '../context';
import type { NewDiscrepancy } from '../levels';

/*
 * Settling a receipt against a dispatched transfer. The caller holds the
 * transfer row lock (FOR UPDATE), which also serialises this with the outbox
 * worker crediting in-transit, so a line's in_transit is never reduced below
 * zero (R19).
 */

interface LineRow { product_id: string; dispatched: number; received: number; in_transit: number }

/** Records what arrived on each line, lowers in-transit by what it covered, and returns short/over findings (R17). */
export async function settleReceipt(
  c: OpContext, transferId: string, toWarehouseId: string, received: readonly { productId: string; quantity: number }[],
): Promise<NewDiscrepancy[]> {
  const r = await c.tx.query<LineRow>(
    `SELECT product_id, dispatched, received, in_transit FROM transfer_lines WHERE tenant_id = $1 AND transfer_id = $2`, [c.tenantId, transferId]);
  const byProduct = new Map(r.rows.map((l) => [l.product_id, l]));
  const noted: NewDiscrepancy[] = [];
  const transitDrop: { productId: string; quantity: number }[] = [];
  for (const got of received) {
    const productId = got.productId.toLowerCase();
    const line = byProduct.get(productId);
    const outstanding = line ? Math.max(0, line.dispatched - line.received) : 0;
    if (got.quantity < outstanding) noted.push({ productId, kind: 'short_receipt', quantity: outstanding - got.quantity });
    if (got.quantity > outstanding) noted.push({ productId, kind: 'over_receipt', quantity: got.quantity - outstanding });
    if (!line) continue;
    const drop = Math.min(line.in_transit, got.quantity);
    await c.tx.query(
      `UPDATE transfer_lines SET received = received + $4, in_transit = in_transit - $5 WHERE tenant_id = $1 AND transfer_id = $2 AND product_id = $3`,
      [c.tenantId, transferId, productId, got.quantity, drop]);
    if (drop > 0) transitDrop.push({ productId, quantity: drop });
  }
  if (transitDrop.length > 0) await dropInTransit(c, toWarehouseId, transitDrop, transferId);
  return noted;
}

async function dropInTransit(c: OpContext, warehouseId: string, lines: { productId: string; quantity: number }[], transferId: string): Promise<void> {
  await c.tx.query(
    `WITH d AS (SELECT * FROM unnest($3::uuid[], $4::int[]) AS d(product_id, n) ORDER BY product_id),
     l AS (UPDATE inventory_levels il SET in_transit = il.in_transit - d.n, updated_at = now()
             FROM d WHERE il.tenant_id = $1 AND il.warehouse_id = $2 AND il.product_id = d.product_id)
     INSERT INTO inventory_movements (tenant_id, warehouse_id, product_id, quantity_delta, in_transit_delta, movement_type, reference_id, op_id, device_id)
     SELECT $1, $2, product_id, 0, -n, 'transfer_in', $5, $6, $7 FROM d`,
    [c.tenantId, warehouseId, lines.map((l) => l.productId), lines.map((l) => l.quantity), transferId, c.opId, c.deviceId]);
}

/** Recomputes the transfer's state from its lines and stamps it so both ends pull the change. */
export async function transferStatus(c: OpContext, transferId: string): Promise<TransferStatus> {
  const r = await c.tx.query<{ status: TransferStatus }>(
    `UPDATE transfers t SET status = s.status, updated_at = now()
       FROM (SELECT CASE WHEN bool_and(received >= dispatched) THEN 'received'
                         WHEN bool_or(received > 0) THEN 'partially_received' ELSE 'in_transit' END AS status
               FROM transfer_lines WHERE tenant_id = $1 AND transfer_id = $2) s
      WHERE t.tenant_id = $1 AND t.id = $2
      RETURNING t.status`, [c.tenantId, transferId]);
  return r.rows[0]?.status ?? 'in_transit';
}
