import type { Queryable } from '../db/database';

/*
 * What each outbox event does when the worker applies it. Every handler runs
 * in the worker's transaction and must be safe to run once per event; the
 * claim (FOR UPDATE SKIP LOCKED) and the processed mark in the same
 * transaction make sure it is.
 */

export interface OutboxEvent {
  id: number;
  tenantId: string;
  kind: string;
  payload: Record<string, unknown>;
}

export type OutboxHandler = (tx: Queryable, e: OutboxEvent) => Promise<void>;

function uuidField(e: OutboxEvent, name: string): string {
  const v = e.payload[name];
  if (typeof v !== 'string') throw new Error(`outbox event ${e.id} (${e.kind}) lacks ${name}`);
  return v;
}

/** R16: credit the destination's expected inbound with what is still outstanding on each line. */
async function transferDispatched(tx: Queryable, e: OutboxEvent): Promise<void> {
  const transferId = uuidField(e, 'transferId');
  const t = await tx.query<{ to_warehouse_id: string; announced: boolean }>(
    `SELECT to_warehouse_id, announced_at IS NOT NULL AS announced FROM transfers WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [e.tenantId, transferId]);
  const transfer = t.rows[0];
  if (!transfer) throw new Error(`transfer ${transferId} not found`);
  if (transfer.announced) return;
  await tx.query(
    `WITH lines AS (
       UPDATE transfer_lines SET in_transit = greatest(dispatched - received, 0)
        WHERE tenant_id = $1 AND transfer_id = $2 AND dispatched > received
       RETURNING product_id, in_transit
     ), l AS (
       INSERT INTO inventory_levels AS il (tenant_id, warehouse_id, product_id, in_transit)
       SELECT $1, $3, product_id, in_transit FROM lines ORDER BY product_id
       ON CONFLICT (tenant_id, warehouse_id, product_id) DO UPDATE
         SET in_transit = il.in_transit + EXCLUDED.in_transit, updated_at = now()
     )
     INSERT INTO inventory_movements (tenant_id, warehouse_id, product_id, quantity_delta, in_transit_delta, movement_type, reference_id)
     SELECT $1, $3, product_id, 0, in_transit, 'transfer_announce', $2 FROM lines`,
    [e.tenantId, transferId, transfer.to_warehouse_id]);
  await tx.query(`UPDATE transfers SET announced_at = now(), updated_at = now() WHERE tenant_id = $1 AND id = $2`, [e.tenantId, transferId]);
}

/** Notifications for the back office (follow-up calls, discrepancies to recount). */
function notify(kind: string, refField: string): OutboxHandler {
  return async (tx, e) => {
    const warehouseId = typeof e.payload.warehouseId === 'string' ? e.payload.warehouseId : null;
    await tx.query(
      `INSERT INTO notifications (tenant_id, outbox_id, kind, warehouse_id, reference_id, body) VALUES ($1, $2, $3, $4, $5, $6)`,
      [e.tenantId, e.id, kind, warehouseId, uuidField(e, refField), JSON.stringify(e.payload)]);
  };
}

export const outboxHandlers: Record<string, OutboxHandler> = {
  'transfer.dispatched': transferDispatched,
  'follow_up.created': notify('follow_up', 'followUpId'),
};
