import type { Database } from '../../../src-server/db/database';

export interface LevelRow { warehouseId: string; productId: string; quantity: number; reserved: number; inTransit: number }

export async function levelsOf(db: Database, tenantId: string): Promise<LevelRow[]> {
  const r = await db.withTenant(tenantId, (tx) => tx.query<LevelRow>(
    `SELECT warehouse_id AS "warehouseId", product_id AS "productId", quantity, reserved, in_transit AS "inTransit"
       FROM inventory_levels ORDER BY warehouse_id, product_id`));
  return r.rows;
}

export async function levelOf(db: Database, tenantId: string, warehouseId: string, productId: string): Promise<LevelRow | undefined> {
  const all = await levelsOf(db, tenantId);
  return all.find((l) => l.warehouseId === warehouseId && l.productId === productId);
}

export async function countRows(db: Database, tenantId: string, table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const r = await db.withTenant(tenantId, (tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params));
  return r.rows[0]?.n ?? 0;
}

/** Quantity/reserved per level must equal the sum of its movements (data-model rule 1). */
export async function movementsMatchLevels(db: Database, tenantId: string): Promise<boolean> {
  const r = await db.withTenant(tenantId, (tx) => tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM inventory_levels l
       LEFT JOIN (SELECT warehouse_id, product_id, sum(quantity_delta) AS q, sum(reserved_delta) AS r, sum(in_transit_delta) AS t
                    FROM inventory_movements GROUP BY warehouse_id, product_id) m
         ON m.warehouse_id = l.warehouse_id AND m.product_id = l.product_id
      WHERE l.quantity <> coalesce(m.q, 0) OR l.reserved <> coalesce(m.r, 0) OR l.in_transit <> coalesce(m.t, 0)`));
  return r.rows[0]?.n === 0;
}
