import type { Queryable } from '../../../src-server/db/database';

/*
 * The baseline for reservations: the statements a pushed reservation runs,
 * sent straight through the driver (no HTTP, no validation, no routing), so
 * the ratio shows what the service layers cost. Sales: raw-group.ts.
 */

export type RawTx = <T>(tenantId: string, fn: (q: Queryable) => Promise<T>) => Promise<T>;

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
