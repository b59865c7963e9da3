import type { Database } from '../db/database';
import { startLoop, type BackgroundLoop } from '../outbox/worker';

/**
 * Moves up to `batchSize` of a tenant's deltas into the summary in one
 * transaction: deleted and added together, so a concurrent read sees them
 * either still as deltas or already folded, never twice or not at all.
 * SKIP LOCKED lets two server processes fold side by side.
 */
export async function foldTenantSummary(db: Database, tenantId: string, batchSize = 5000): Promise<number> {
  return db.withTenant(tenantId, async (tx) => {
    const r = await tx.query<{ n: number }>(
      `WITH moved AS (
         DELETE FROM inventory_summary_deltas
          WHERE tenant_id = $1 AND id IN (SELECT id FROM inventory_summary_deltas WHERE tenant_id = $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING product_id, quantity, reserved, in_transit, warehouse_count
       ), agg AS (
         SELECT product_id, sum(quantity) AS q, sum(reserved) AS r, sum(in_transit) AS t, sum(warehouse_count) AS w, count(*) AS n
           FROM moved GROUP BY product_id
       ), up AS (
         INSERT INTO inventory_summary AS s (tenant_id, product_id, quantity, reserved, in_transit, warehouse_count)
         SELECT $1, product_id, q, r, t, w FROM agg ORDER BY product_id
         ON CONFLICT (tenant_id, product_id) DO UPDATE
           SET quantity = s.quantity + EXCLUDED.quantity, reserved = s.reserved + EXCLUDED.reserved,
               in_transit = s.in_transit + EXCLUDED.in_transit, warehouse_count = s.warehouse_count + EXCLUDED.warehouse_count,
               folded_at = now()
       )
       SELECT coalesce(sum(n), 0)::int AS n FROM agg`, [tenantId, batchSize]);
    return r.rows[0]?.n ?? 0;
  });
}

/** One pass over every tenant with unfolded deltas; returns how many deltas were folded. */
export async function foldSummaryDeltas(db: Database, batchSize = 5000): Promise<number> {
  const tenants = await db.withoutTenant((tx) => tx.query<{ t: string }>('SELECT bp_tenants_with_summary_deltas() AS t'));
  let folded = 0;
  for (const { t } of tenants.rows) folded += await foldTenantSummary(db, t, batchSize);
  return folded;
}

export function startSummaryFolder(db: Database, opts: { intervalMs?: number; batchSize?: number; onError?: (e: unknown) => void } = {}): BackgroundLoop {
  return startLoop(() => foldSummaryDeltas(db, opts.batchSize), opts.intervalMs ?? 1000, opts.onError ?? (() => undefined));
}
