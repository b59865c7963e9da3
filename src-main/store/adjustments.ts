import { AdjustInput, CountInput, type AdjustResult, type CountResult } from '../../src-shared/branch-inputs';
import { DomainError, parseOrThrow } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import type { AdjustPayload, AdjustReason, CountPayload } from '../../src-shared/operations';
import {
  addStock, raiseDiscrepancy, readLevel, recordMovement, refuseDuplicates, requireProduct, takeOrThrow, type StoreContext,
} from './context';
import { runOp, type OutboxWrites } from './run-op';

/*
 * Adjustments (with a reason code) and counts. A negative adjustment is a
 * take like a sale: it cannot remove stock that is not available. A count is
 * a fact about the shelf: counted - expected is applied whatever it is, and
 * expected is read by the store at that moment, not trusted from the screen.
 */

/** Which way each reason may move stock. */
const REASON_SIGN: Record<AdjustReason, -1 | 1 | 0> = { damaged: -1, expired: -1, theft: -1, found: 1, correction: 0 };

export function createAdjustments(ctx: StoreContext, ob: OutboxWrites) {
  const { db } = ctx;
  const insertAdjustment = db.prepare<[string, string, string, string, string | null, string | null, string]>(
    'INSERT INTO adjustments (id, op_id, actor_id, reason, note, approved_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertAdjustmentLine = db.prepare<[string, number, string, number]>(
    'INSERT INTO adjustment_lines (adjustment_id, line_no, product_id, quantity_delta) VALUES (?, ?, ?, ?)');
  const insertCount = db.prepare<[string, string, string, string | null, string | null, string]>(
    'INSERT INTO counts (id, op_id, actor_id, scope, approved_by, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insertCountLine = db.prepare<[string, string, number, number, number]>(
    'INSERT INTO count_lines (count_id, product_id, expected, counted, delta) VALUES (?, ?, ?, ?, ?)');

  return {
    adjust(raw: unknown): AdjustResult {
      const input = parseOrThrow(AdjustInput, raw, 'adjustment');
      const sign = REASON_SIGN[input.reason];
      input.lines.forEach((l, i) => {
        if (sign !== 0 && Math.sign(l.quantityDelta) !== sign) {
          throw new DomainError('validation', `invalid adjustment: lines.${i}.quantityDelta: "${input.reason}" must ${sign < 0 ? 'remove' : 'add'} stock`);
        }
      });
      return runOp(ctx, ob, 'adjust', input, { receipt: false }, (env) => {
        const adjustmentId = uuidv7();
        insertAdjustment.run(adjustmentId, env.opId, env.actorId, input.reason, input.note ?? null, input.approvedBy ?? null, env.at);
        const lines = input.lines.map((l, i) => {
          const product = requireProduct(ctx, l.productId);
          const quantityAfter = l.quantityDelta > 0
            ? addStock(ctx, product.id, l.quantityDelta, env.at).quantity
            : (takeOrThrow(ctx, product, -l.quantityDelta, env.at), readLevel(ctx, product.id).quantity);
          insertAdjustmentLine.run(adjustmentId, i + 1, product.id, l.quantityDelta);
          recordMovement(ctx, product.id, 'adjust', l.quantityDelta, 0, adjustmentId, env.opId, env.at);
          return { productId: product.id, quantityDelta: l.quantityDelta, quantityAfter };
        });
        const payload: AdjustPayload = { adjustmentId, reason: input.reason, lines: input.lines, note: input.note, approvedBy: input.approvedBy };
        return { payload, result: { adjustmentId, occurredAt: env.at, lines } };
      });
    },

    count(raw: unknown): CountResult {
      const input = parseOrThrow(CountInput, raw, 'count');
      refuseDuplicates(input.lines.map((l) => l.productId), 'count');
      return runOp(ctx, ob, 'count', input, { receipt: false }, (env) => {
        const countId = uuidv7();
        insertCount.run(countId, env.opId, env.actorId, input.scope ?? null, input.approvedBy ?? null, env.at);
        const discrepancyIds: string[] = [];
        const lines = input.lines.map((l) => {
          const product = requireProduct(ctx, l.productId);
          const level = readLevel(ctx, product.id);
          const expected = level.quantity;
          const delta = l.counted - expected;
          if (delta !== 0) {
            addStock(ctx, product.id, delta, env.at);
            recordMovement(ctx, product.id, 'count', delta, 0, countId, env.opId, env.at);
          }
          // Fewer on the shelf than customers are promised: someone has to call them.
          // Quantity = the available after the count, as central records it (R14).
          if (l.counted < level.reserved) {
            discrepancyIds.push(raiseDiscrepancy(ctx, product.id, 'negative_stock', l.counted - level.reserved, countId, env.opId, env.at));
          }
          insertCountLine.run(countId, product.id, expected, l.counted, delta);
          return { productId: product.id, expected, counted: l.counted, delta };
        });
        const payload: CountPayload = {
          countId, scope: input.scope, lines: lines.map((l) => ({ productId: l.productId, counted: l.counted, expected: l.expected })), approvedBy: input.approvedBy,
        };
        return { payload, result: { countId, occurredAt: env.at, lines, discrepancyIds } };
      });
    },
  };
}
