import { ReceiveInput, type ReceiveResult } from '../../src-shared/branch-inputs';
import { parseOrThrow } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import type { ReceivePayload } from '../../src-shared/operations';
import { addStock, raiseDiscrepancy, recordMovement, requireProduct, type StoreContext } from './context';
import type { PurchaseOrders } from './purchase-orders';
import { runOp, type OutboxWrites } from './run-op';

/** Goods in from a supplier; where an expected quantity was given, short and over become discrepancies. */
export function createReceiving(ctx: StoreContext, ob: OutboxWrites, purchaseOrders: Pick<PurchaseOrders, 'markReceivedLocally'>) {
  const { db } = ctx;
  const insertReceipt = db.prepare<[string, string, string, string, string | null, string | null, string]>(
    'INSERT INTO receipts (id, op_id, actor_id, source_kind, supplier, purchase_order_ref, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertLine = db.prepare<[string, number, string, number | null, number]>(
    'INSERT INTO receipt_lines (receipt_id, line_no, product_id, expected_quantity, received_quantity) VALUES (?, ?, ?, ?, ?)');

  return {
    receive(raw: unknown): ReceiveResult {
      const input = parseOrThrow(ReceiveInput, raw, 'receipt');
      return runOp(ctx, ob, 'receive', input, { receipt: false }, (env) => {
        const receiptId = uuidv7();
        const src = input.source;
        insertReceipt.run(receiptId, env.opId, env.actorId, src.kind, src.kind === 'adhoc' ? src.supplier ?? null : null,
          src.kind === 'purchase_order' ? src.purchaseOrderRef : null, env.at);
        if (src.kind === 'purchase_order') purchaseOrders.markReceivedLocally(src.purchaseOrderRef, env.opId, env.at);
        const discrepancyIds: string[] = [];
        const lines = input.lines.map((l, i) => {
          const product = requireProduct(ctx, l.productId);
          insertLine.run(receiptId, i + 1, product.id, l.expectedQuantity ?? null, l.receivedQuantity);
          if (l.receivedQuantity > 0) {
            addStock(ctx, product.id, l.receivedQuantity, env.at);
            recordMovement(ctx, product.id, 'receive', l.receivedQuantity, 0, receiptId, env.opId, env.at);
          }
          const difference = l.expectedQuantity === undefined ? 0 : l.receivedQuantity - l.expectedQuantity;
          if (difference !== 0) {
            discrepancyIds.push(raiseDiscrepancy(ctx, product.id, difference < 0 ? 'short_receipt' : 'over_receipt', Math.abs(difference), receiptId, env.opId, env.at));
          }
          return l.expectedQuantity === undefined
            ? { productId: product.id, receivedQuantity: l.receivedQuantity, difference }
            : { productId: product.id, expectedQuantity: l.expectedQuantity, receivedQuantity: l.receivedQuantity, difference };
        });
        const payload: ReceivePayload = { receiptId, source: input.source, lines: input.lines };
        const result: ReceiveResult = { receiptId, occurredAt: env.at, lines, discrepancyIds };
        return { payload, result };
      });
    },
  };
}
