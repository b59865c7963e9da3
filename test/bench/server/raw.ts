import { createHash } from 'node:crypto';
import type { Queryable } from '../../../src-server/db/database';
import { canonicalJson, type Operation } from '../../../src-shared/operations';

/*
 * The baseline: the statements a pushed one-line sale or reservation runs,
 * sent straight through the driver (no HTTP, no validation, no routing), so
 * the ratio shows what the service layers cost.
 */

export type RawTx = <T>(tenantId: string, fn: (q: Queryable) => Promise<T>) => Promise<T>;

export async function rawSale(tx: RawTx, tenantId: string, deviceId: string, warehouseId: string, op: Extract<Operation, { type: 'sale' }>): Promise<void> {
  const hash = createHash('sha256').update(canonicalJson(op)).digest('hex');
  const line = op.payload.lines[0];
  if (!line) throw new Error('empty sale');
  await tx(tenantId, async (q) => {
    await q.query(`SELECT warehouse_id, last_applied_seq, revoked_at FROM devices WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, deviceId]);
    await q.query('SAVEPOINT op');
    await q.query(
      `INSERT INTO sales (tenant_id, id, warehouse_id, device_id, op_id, receipt_no, currency, total_minor, payload, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [tenantId, op.payload.saleId, warehouseId, deviceId, op.opId, op.payload.receiptNo, 'USD', line.quantity * line.unitPriceMinor, JSON.stringify(op.payload), op.occurredAt]);
    await q.query(
      `WITH d AS (SELECT * FROM unnest($3::uuid[], $4::int[], $5::int[]) AS d(product_id, dq, dr)),
       l AS (INSERT INTO inventory_levels AS il (tenant_id, warehouse_id, product_id, quantity)
             SELECT $1, $2, product_id, dq FROM d ORDER BY product_id
             ON CONFLICT (tenant_id, warehouse_id, product_id) DO UPDATE SET quantity = il.quantity + EXCLUDED.quantity, updated_at = now()
             RETURNING product_id, quantity, reserved),
       m AS (INSERT INTO inventory_movements (tenant_id, warehouse_id, product_id, quantity_delta, reserved_delta, movement_type, reference_id, op_id, device_id)
             SELECT $1, $2, product_id, dq, dr, $6, $7, $8, $9 FROM d)
       SELECT product_id, quantity, reserved FROM l`,
      [tenantId, warehouseId, [line.productId], [-line.quantity], [0], 'sale', op.payload.saleId, op.opId, deviceId]);
    await q.query(
      `WITH a AS (INSERT INTO applied_ops (tenant_id, op_id, device_id, seq, type, payload_hash, status, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8))
       UPDATE devices SET last_applied_seq = $4 WHERE tenant_id = $1 AND id = $3`,
      [tenantId, op.opId, deviceId, op.seq, op.type, hash, 'applied', JSON.stringify({ opId: op.opId, seq: op.seq, status: 'applied' })]);
  });
}

/** The seed's reservation: the conditional UPDATE and its row count, then the movement, the record and the seq. */
export async function rawReserve(tx: RawTx, tenantId: string, deviceId: string, warehouseId: string, productId: string, opId: string, seq: number): Promise<boolean> {
  return tx(tenantId, async (q) => {
    await q.query(`SELECT warehouse_id, last_applied_seq FROM devices WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, deviceId]);
    const r = await q.query(
      `UPDATE inventory_levels SET reserved = reserved + 1, updated_at = now()
        WHERE tenant_id = $1 AND warehouse_id = $2 AND product_id = $3 AND quantity - reserved >= 1`, [tenantId, warehouseId, productId]);
    if (r.rowCount === 1) {
      await q.query(`INSERT INTO inventory_movements (tenant_id, warehouse_id, product_id, quantity_delta, reserved_delta, movement_type, op_id, device_id)
                     VALUES ($1, $2, $3, 0, 1, 'reserve', $4, $5)`, [tenantId, warehouseId, productId, opId, deviceId]);
    }
    await q.query(
      `WITH a AS (INSERT INTO applied_ops (tenant_id, op_id, device_id, seq, type, payload_hash, status, result) VALUES ($1, $2, $3, $4, 'reserve', 'x', $5, '{}'))
       UPDATE devices SET last_applied_seq = $4 WHERE tenant_id = $1 AND id = $3`,
      [tenantId, opId, deviceId, seq, r.rowCount === 1 ? 'applied' : 'refused']);
    return r.rowCount === 1;
  });
}
