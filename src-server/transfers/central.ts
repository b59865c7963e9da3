import { z } from 'zod';
import { DomainError, parseOrThrow } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import { Id, Quantity } from '../../src-shared/primitives';
import type { Database } from '../db/database';

/** A manager moving stock between two warehouses of one tenant, centrally (no branch in between). */
export const CentralTransferInput = z.object({
  transferId: Id.optional(),
  fromWarehouseId: Id,
  toWarehouseId: Id,
  lines: z.array(z.object({ productId: Id, quantity: Quantity })).min(1).max(500),
  note: z.string().trim().max(200).optional(),
}).refine((t) => t.fromWarehouseId.toLowerCase() !== t.toWarehouseId.toLowerCase(), 'source and destination must differ');
export type CentralTransferInput = z.infer<typeof CentralTransferInput>;

export interface CentralTransferResult { transferId: string; lines: { productId: string; quantity: number }[] }

/**
 * R20: debit and credit in one transaction, locking every level row involved
 * in (warehouse id, product id) order first. Two opposite moves then queue on
 * the same first row instead of each holding the row the other needs.
 */
export async function moveStock(db: Database, tenantId: string, input: unknown): Promise<CentralTransferResult> {
  const t = parseOrThrow(CentralTransferInput, input, 'transfer');
  const from = t.fromWarehouseId.toLowerCase();
  const to = t.toWarehouseId.toLowerCase();
  const merged = new Map<string, number>();
  for (const l of t.lines) merged.set(l.productId.toLowerCase(), (merged.get(l.productId.toLowerCase()) ?? 0) + l.quantity);
  const products = [...merged.keys()].sort();
  const quantities = products.map((p) => merged.get(p) ?? 0);
  const transferId = t.transferId ?? uuidv7();

  return db.withTenant(tenantId, async (tx) => {
    const w = await tx.query<{ id: string }>(`SELECT id FROM warehouses WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, [from, to]]);
    for (const id of [from, to]) {
      if (!w.rows.some((r) => r.id === id)) throw new DomainError('unknown_warehouse', `unknown warehouse ${id}`, { warehouseId: id });
    }
    const p = await tx.query<{ id: string }>(`SELECT id FROM products WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [tenantId, products]);
    const missing = products.find((id) => !p.rows.some((r) => r.id === id));
    if (missing) throw new DomainError('unknown_product', `unknown product ${missing}`, { productId: missing });

    await tx.query(
      `INSERT INTO inventory_levels (tenant_id, warehouse_id, product_id)
       SELECT $1, w, p FROM unnest($2::uuid[]) AS w CROSS JOIN unnest($3::uuid[]) AS p ORDER BY w, p
       ON CONFLICT DO NOTHING`, [tenantId, [from, to], products]);
    await tx.query(
      `SELECT 1 FROM inventory_levels WHERE tenant_id = $1 AND warehouse_id = ANY($2::uuid[]) AND product_id = ANY($3::uuid[])
        ORDER BY warehouse_id, product_id FOR UPDATE`, [tenantId, [from, to], products]);

    const debited = await tx.query<{ product_id: string }>(
      `UPDATE inventory_levels il SET quantity = il.quantity - d.n, updated_at = now()
         FROM unnest($3::uuid[], $4::int[]) AS d(product_id, n)
        WHERE il.tenant_id = $1 AND il.warehouse_id = $2 AND il.product_id = d.product_id AND il.quantity - il.reserved >= d.n
       RETURNING il.product_id`, [tenantId, from, products, quantities]);
    if (debited.rowCount !== products.length) {
      const short = products.find((id) => !debited.rows.some((r) => r.product_id === id)) ?? products[0];
      const a = await tx.query<{ available: number }>(
        `SELECT quantity - reserved AS available FROM inventory_levels WHERE tenant_id = $1 AND warehouse_id = $2 AND product_id = $3`, [tenantId, from, short]);
      throw new DomainError('insufficient_stock', `not enough stock of ${short} at the source`,
        { productId: short, requested: merged.get(short ?? '') ?? 0, available: Math.max(0, a.rows[0]?.available ?? 0) });
    }
    await tx.query(
      `UPDATE inventory_levels il SET quantity = il.quantity + d.n, updated_at = now()
         FROM unnest($3::uuid[], $4::int[]) AS d(product_id, n)
        WHERE il.tenant_id = $1 AND il.warehouse_id = $2 AND il.product_id = d.product_id`, [tenantId, to, products, quantities]);
    await tx.query(
      `INSERT INTO inventory_movements (tenant_id, warehouse_id, product_id, quantity_delta, movement_type, reference_id)
       SELECT $1, w, d.product_id, CASE WHEN w = $2 THEN -d.n ELSE d.n END, 'central_transfer', $6
         FROM unnest($4::uuid[], $5::int[]) AS d(product_id, n) CROSS JOIN unnest(ARRAY[$2, $3]::uuid[]) AS w`,
      [tenantId, from, to, products, quantities, transferId]);
    await tx.query(
      `INSERT INTO transfers (tenant_id, id, from_warehouse_id, to_warehouse_id, status, note, dispatched_at, announced_at)
       VALUES ($1, $2, $3, $4, 'received', $5, now(), now())`, [tenantId, transferId, from, to, t.note ?? null]);
    await tx.query(
      `INSERT INTO transfer_lines (tenant_id, transfer_id, product_id, dispatched, received)
       SELECT $1, $2, p, n, n FROM unnest($3::uuid[], $4::int[]) AS x(p, n)`, [tenantId, transferId, products, quantities]);
    return { transferId, lines: products.map((productId, i) => ({ productId, quantity: quantities[i] ?? 0 })) };
  });
}
