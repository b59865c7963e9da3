import { z } from 'zod';
import { parseOrThrow } from '../../src-shared/errors';
import { PurchaseOrderView } from '../../src-shared/sync';
import type { StoreContext } from './context';

/*
 * Purchase orders central placed for this branch, as the last pull left them.
 * The till receives one by its ref (a `receive` op with source purchase_order);
 * from that moment it is received here, whatever a later page says, because a
 * pull can resend the order as still open until central has applied the receipt.
 */

export const PURCHASE_ORDERS_SCHEMA = `
CREATE TABLE purchase_orders (
  id TEXT PRIMARY KEY,
  ref TEXT NOT NULL UNIQUE,
  supplier TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'received', 'cancelled')),
  expected_at TEXT,
  created_at TEXT NOT NULL,
  -- the local receive op that received it, before central has said so
  received_op_id TEXT,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX purchase_orders_open ON purchase_orders (status, expected_at);

CREATE TABLE purchase_order_lines (
  purchase_order_id TEXT NOT NULL REFERENCES purchase_orders(id),
  product_id TEXT NOT NULL REFERENCES products(id),
  ordered INTEGER NOT NULL CHECK (ordered > 0),
  PRIMARY KEY (purchase_order_id, product_id)
) STRICT, WITHOUT ROWID;
`;

export function createPurchaseOrders(ctx: StoreContext) {
  const { db } = ctx;
  const put = db.prepare<{ id: string; ref: string; supplier: string; status: string; expectedAt: string | null; createdAt: string; at: string }>(
    `INSERT INTO purchase_orders (id, ref, supplier, status, expected_at, created_at, updated_at)
     VALUES (@id, @ref, @supplier, @status, @expectedAt, @createdAt, @at)
     ON CONFLICT (id) DO UPDATE SET ref = excluded.ref, supplier = excluded.supplier, expected_at = excluded.expected_at, updated_at = excluded.updated_at,
       status = CASE WHEN purchase_orders.received_op_id IS NOT NULL THEN 'received' ELSE excluded.status END`);
  const dropLines = db.prepare<[string]>('DELETE FROM purchase_order_lines WHERE purchase_order_id = ?');
  const putLine = db.prepare<[string, string, number]>('INSERT INTO purchase_order_lines (purchase_order_id, product_id, ordered) VALUES (?, ?, ?)');
  const productExists = db.prepare<[string], { id: string }>('SELECT id FROM products WHERE id = ?');
  const receive = db.prepare<{ ref: string; opId: string; at: string }>(
    `UPDATE purchase_orders SET status = 'received', received_op_id = @opId, updated_at = @at WHERE ref = @ref AND status = 'open'`);

  return {
    /** Orders from a pull page, in the page's transaction; another warehouse's orders are not this till's business. */
    applyPurchaseOrders(raw: unknown): number {
      const views = parseOrThrow(z.array(PurchaseOrderView).max(5000), raw, 'purchase orders');
      return ctx.tx(() => {
        let n = 0;
        for (const v of views) {
          if (v.warehouseId !== ctx.warehouseId) continue;
          put.run({ id: v.purchaseOrderId, ref: v.ref, supplier: v.supplier, status: v.status, expectedAt: v.expectedAt, createdAt: v.createdAt, at: ctx.now() });
          dropLines.run(v.purchaseOrderId);
          // The catalog precedes orders in every pull round, so an unknown product is one central no longer sends: skipped, not fatal.
          for (const l of v.lines) if (productExists.get(l.productId)) putLine.run(v.purchaseOrderId, l.productId, l.ordered);
          n += 1;
        }
        return n;
      });
    },

    /** Called inside the receive op's transaction: the order leaves the expected list at once. */
    markReceivedLocally(ref: string, opId: string, at: string): boolean {
      return receive.run({ ref, opId, at }).changes > 0;
    },
  };
}
export type PurchaseOrders = ReturnType<typeof createPurchaseOrders>;
