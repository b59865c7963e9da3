import { createHash } from 'node:crypto';
import { canonicalJson, type Operation } from '../../../src-shared/operations';
import type { RawTx } from './raw';

/*
 * The baseline for pushed batches: the statements central runs for a group of
 * one-line sales (src-server/sync/push-group.ts), sent straight through the
 * driver: lock the device, lock the group's level rows in product order, one
 * bp_apply_deltas call per sale, then the sales, the stored results and the
 * seq in one statement each. No HTTP, no validation, no routing, no refusal
 * handling: the ratio shows what those layers cost.
 */

type Sale = Extract<Operation, { type: 'sale' }>;

export async function rawSaleGroup(tx: RawTx, tenantId: string, deviceId: string, warehouseId: string, ops: readonly Sale[]): Promise<void> {
  const last = ops[ops.length - 1];
  if (!last) return;
  const hashes = ops.map((op) => createHash('sha256').update(canonicalJson(op)).digest('hex'));
  await tx(tenantId, async (q) => {
    await q.query(`SELECT warehouse_id, last_applied_seq, revoked_at FROM devices WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, deviceId]);
    const products = [...new Set(ops.flatMap((op) => op.payload.lines.map((l) => l.productId.toLowerCase())))].sort();
    await q.query(`SELECT 1 FROM inventory_levels WHERE tenant_id = $1 AND warehouse_id = $2 AND product_id = ANY($3::uuid[]) ORDER BY product_id FOR UPDATE`,
      [tenantId, warehouseId, products]);
    for (const op of ops) {
      const line = op.payload.lines[0];
      if (!line) throw new Error('empty sale');
      await q.query(`SELECT out_product_id, out_quantity, out_reserved FROM bp_apply_deltas($1, $2, $3::uuid[], $4::int[], $5::int[], $6, $7, $8, $9, $10)`,
        [tenantId, warehouseId, [line.productId], [-line.quantity], [0], 'sale', op.payload.saleId, op.opId, deviceId, true]);
    }
    const rows = ops.map((op) => ({
      id: op.payload.saleId, warehouse_id: warehouseId, device_id: deviceId, op_id: op.opId, receipt_no: op.payload.receiptNo, currency: 'USD',
      total_minor: op.payload.lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0), payload: op.payload, occurred_at: op.occurredAt,
    }));
    await q.query(
      `INSERT INTO sales (tenant_id, id, warehouse_id, device_id, op_id, receipt_no, currency, total_minor, payload, occurred_at)
       SELECT $1, r.id, r.warehouse_id, r.device_id, r.op_id, r.receipt_no, r.currency, r.total_minor, r.payload, r.occurred_at
         FROM jsonb_populate_recordset(NULL::sales, $2::jsonb) AS r`, [tenantId, JSON.stringify(rows)]);
    await q.query(
      `WITH a AS (
         INSERT INTO applied_ops (tenant_id, op_id, device_id, seq, type, payload_hash, status, result)
         SELECT $1, op_id, $2, seq, 'sale', payload_hash, 'applied', result
           FROM unnest($3::uuid[], $4::bigint[], $5::text[], $6::jsonb[]) AS r(op_id, seq, payload_hash, result)
       )
       UPDATE devices SET last_applied_seq = $7 WHERE tenant_id = $1 AND id = $2`,
      [tenantId, deviceId, ops.map((op) => op.opId), ops.map((op) => op.seq), hashes,
        ops.map((op) => JSON.stringify({ opId: op.opId, seq: op.seq, status: 'applied', result: { saleId: op.payload.saleId, discrepancyIds: [] } })), last.seq]);
  });
}
