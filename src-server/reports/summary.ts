import type { Database, Queryable } from '../db/database';

/*
 * The inventory summary (R21): per tenant and product, the totals over all
 * warehouses. Writers never touch a shared row: the levels trigger appends a
 * delta row, and `foldSummaryDeltas` moves deltas into `inventory_summary`
 * in the background. A read adds the deltas not folded yet, in one statement
 * (one snapshot), so it is exact whether or not the fold has run.
 */

export interface InventorySummaryRow {
  productId: string;
  quantity: number;
  reserved: number;
  available: number;
  inTransit: number;
  /** Warehouses holding a positive quantity. */
  warehouseCount: number;
}

export interface SummaryQuery {
  productId?: string;
  limit?: number;
  /** Resume after this product id (pages in product id order). */
  afterProductId?: string;
}

export async function readInventorySummaryTx(tx: Queryable, tenantId: string, q: SummaryQuery = {}): Promise<InventorySummaryRow[]> {
  const r = await tx.query<{ product_id: string; quantity: string; reserved: string; in_transit: string; warehouse_count: string }>(
    `SELECT product_id, sum(quantity)::text AS quantity, sum(reserved)::text AS reserved,
            sum(in_transit)::text AS in_transit, sum(warehouse_count)::text AS warehouse_count
       FROM (SELECT product_id, quantity, reserved, in_transit, warehouse_count FROM inventory_summary
              WHERE tenant_id = $1 AND ($2::uuid IS NULL OR product_id = $2) AND ($3::uuid IS NULL OR product_id > $3)
             UNION ALL
             SELECT product_id, quantity, reserved, in_transit, warehouse_count FROM inventory_summary_deltas
              WHERE tenant_id = $1 AND ($2::uuid IS NULL OR product_id = $2) AND ($3::uuid IS NULL OR product_id > $3)) s
      GROUP BY product_id ORDER BY product_id LIMIT $4`,
    [tenantId, q.productId ?? null, q.afterProductId ?? null, Math.max(1, Math.min(10_000, q.limit ?? 10_000))]);
  return r.rows.map((x) => {
    const quantity = Number(x.quantity);
    const reserved = Number(x.reserved);
    return { productId: x.product_id, quantity, reserved, available: quantity - reserved, inTransit: Number(x.in_transit), warehouseCount: Number(x.warehouse_count) };
  });
}

export function readInventorySummary(db: Database, tenantId: string, q: SummaryQuery = {}): Promise<InventorySummaryRow[]> {
  return db.withTenant(tenantId, (tx) => readInventorySummaryTx(tx, tenantId, q), { readOnly: true });
}
