import type { CreatePurchaseOrderBody, PurchaseOrdersQuery } from '../../src-shared/admin';
import { DomainError } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import type { PurchaseOrderView } from '../../src-shared/sync';
import type { Queryable } from '../db/database';
import { assertWarehouse, iso, isoOrNull, isUniqueViolation } from './tenant-scope';

/*
 * Purchase orders at central: created for one warehouse, listed, cancelled.
 * They are received at the till (a `receive` op naming the ref), which closes
 * them in sync/apply/stock.ts. Every function runs in the tenant's transaction.
 */

export interface PoRow { id: string; ref: string; warehouse_id: string; supplier: string; status: PurchaseOrderView['status']; expected_at: unknown; created_at: unknown }
const PO_COLS = 'id, ref, warehouse_id, supplier, status, expected_at, created_at';

/** The orders with their lines, in the order of `rows`. */
export async function withLines(tx: Queryable, tenantId: string, rows: PoRow[]): Promise<PurchaseOrderView[]> {
  if (rows.length === 0) return [];
  const l = await tx.query<{ purchase_order_id: string; product_id: string; ordered: number }>(
    `SELECT purchase_order_id, product_id, ordered FROM purchase_order_lines
      WHERE tenant_id = $1 AND purchase_order_id = ANY($2::uuid[]) ORDER BY product_id`, [tenantId, rows.map((r) => r.id)]);
  return rows.map((r) => ({
    purchaseOrderId: r.id, ref: r.ref, warehouseId: r.warehouse_id, supplier: r.supplier, status: r.status,
    expectedAt: isoOrNull(r.expected_at), createdAt: iso(r.created_at),
    lines: l.rows.filter((x) => x.purchase_order_id === r.id).map((x) => ({ productId: x.product_id, ordered: Number(x.ordered) })),
  }));
}

async function getPurchaseOrder(tx: Queryable, tenantId: string, id: string): Promise<PurchaseOrderView | null> {
  const r = await tx.query<PoRow>(`SELECT ${PO_COLS} FROM purchase_orders WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  return (await withLines(tx, tenantId, r.rows))[0] ?? null;
}

/** Creates an order; a retry with the same id and ref returns the stored one. Unknown warehouse or product: nothing written. */
export async function createPurchaseOrder(tx: Queryable, tenantId: string, body: CreatePurchaseOrderBody): Promise<{ order: PurchaseOrderView; created: boolean }> {
  if (body.id) {
    const existing = await getPurchaseOrder(tx, tenantId, body.id);
    if (existing && existing.ref === body.ref) return { order: existing, created: false };
    if (existing) throw new DomainError('invalid_state', 'a purchase order with this id already exists', { id: body.id });
  }
  await assertWarehouse(tx, tenantId, body.warehouseId);
  const ids = body.lines.map((l) => l.productId.toLowerCase());
  const known = await tx.query<{ id: string }>('SELECT id FROM products WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [tenantId, ids]);
  const missing = ids.find((id) => !known.rows.some((r) => r.id === id));
  if (missing) throw new DomainError('unknown_product', `unknown product ${missing}`, { productId: missing });
  const dup = await tx.query('SELECT 1 FROM purchase_orders WHERE tenant_id = $1 AND ref = $2', [tenantId, body.ref]);
  if ((dup.rowCount ?? 0) > 0) throw new DomainError('invalid_state', `purchase order ${body.ref} already exists`, { ref: body.ref });
  const id = body.id ?? uuidv7();
  try {
    await tx.query(
      `INSERT INTO purchase_orders (tenant_id, id, warehouse_id, ref, supplier, expected_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenantId, id, body.warehouseId, body.ref, body.supplier, body.expectedAt ?? null]);
  } catch (e) {
    // Two creates of one ref at the same moment: the loser is told plainly.
    if (isUniqueViolation(e)) throw new DomainError('invalid_state', `purchase order ${body.ref} already exists`, { ref: body.ref });
    throw e;
  }
  await tx.query(
    `INSERT INTO purchase_order_lines (tenant_id, purchase_order_id, product_id, ordered)
     SELECT $1, $2, l.product_id, l.ordered FROM unnest($3::uuid[], $4::int[]) AS l(product_id, ordered)`,
    [tenantId, id, ids, body.lines.map((l) => l.ordered)]);
  const order = await getPurchaseOrder(tx, tenantId, id);
  if (!order) throw new Error('purchase order vanished after insert');
  return { order, created: true };
}

export async function listPurchaseOrders(tx: Queryable, tenantId: string, q: PurchaseOrdersQuery): Promise<PurchaseOrderView[]> {
  const r = await tx.query<PoRow>(
    `SELECT ${PO_COLS} FROM purchase_orders
      WHERE tenant_id = $1 AND ($2::text = 'all' OR status = $2) AND ($3::uuid IS NULL OR warehouse_id = $3)
      ORDER BY created_at DESC, id DESC LIMIT $4`, [tenantId, q.status, q.warehouseId ?? null, q.limit]);
  return withLines(tx, tenantId, r.rows);
}

/** Only an open order can be cancelled; the till drops it at its next pull. */
export async function cancelPurchaseOrder(tx: Queryable, tenantId: string, id: string): Promise<PurchaseOrderView> {
  const r = await tx.query<{ status: string }>('SELECT status FROM purchase_orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tenantId, id]);
  const row = r.rows[0];
  if (!row) throw new DomainError('not_found', 'no such purchase order in this tenant', { id });
  if (row.status !== 'open') throw new DomainError('invalid_state', `purchase order is ${row.status}, not open`, { id, status: row.status });
  await tx.query(`UPDATE purchase_orders SET status = 'cancelled', closed_at = now() WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
  const order = await getPurchaseOrder(tx, tenantId, id);
  if (!order) throw new Error('purchase order vanished after cancel');
  return order;
}

/** A receipt against `ref` at `warehouseId` closes the open order; short or over lines are the receipt's discrepancies, not the order's. */
export async function markPurchaseOrderReceived(tx: Queryable, tenantId: string, warehouseId: string, ref: string, receiptId: string): Promise<string | null> {
  const r = await tx.query<{ id: string }>(
    `UPDATE purchase_orders SET status = 'received', closed_at = now(), receipt_id = $4
      WHERE tenant_id = $1 AND warehouse_id = $2 AND ref = $3 AND status = 'open' RETURNING id`, [tenantId, warehouseId, ref, receiptId]);
  return r.rows[0]?.id ?? null;
}
