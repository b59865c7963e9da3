import { ReturnSaleInput, type ReturnResult } from '../../src-shared/branch-inputs';
import { DomainError, parseOrThrow } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import type { ReturnPayload } from '../../src-shared/operations';
import { MAX_AMOUNT_MINOR, type Currency } from '../../src-shared/primitives';
import { addStock, recordMovement, requireProduct, type StoreContext } from './context';
import { runOp, type OutboxWrites } from './run-op';

/*
 * Goods coming back. Against a sale: refunded at the price sold, and never
 * more units than were sold minus those already returned. Ad hoc (no receipt):
 * refunded at today's catalog price. Either way the stock goes back on the shelf.
 */

export function createReturns(ctx: StoreContext, ob: OutboxWrites) {
  const { db } = ctx;
  const getSale = db.prepare<[string], { currency: Currency }>('SELECT currency FROM sales WHERE id = ?');
  const soldOnSale = db.prepare<{ s: string; p: string }, { sold: number | null; price: number | null }>(
    `SELECT sum(quantity) AS sold,
       (SELECT unit_price_minor FROM sale_lines WHERE sale_id = @s AND product_id = @p ORDER BY line_no LIMIT 1) AS price
     FROM sale_lines WHERE sale_id = @s AND product_id = @p`);
  const returnedOfSale = db.prepare<{ s: string; p: string }, { n: number }>(
    `SELECT coalesce(sum(rl.quantity), 0) AS n FROM return_lines rl JOIN returns r ON r.id = rl.return_id
     WHERE r.sale_id = @s AND rl.product_id = @p`);
  const insertReturn = db.prepare<[string, string, string | null, string, string, number, string | null, string]>(
    'INSERT INTO returns (id, op_id, sale_id, actor_id, currency, total_refund_minor, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insertLine = db.prepare<[string, number, string, number, number]>(
    'INSERT INTO return_lines (return_id, line_no, product_id, quantity, refund_minor) VALUES (?, ?, ?, ?, ?)');

  return {
    returnSale(raw: unknown): ReturnResult {
      const input = parseOrThrow(ReturnSaleInput, raw, 'return');
      return runOp(ctx, ob, 'return', input, { receipt: false }, (env) => {
        const returnId = uuidv7();
        const saleId = input.saleId;
        let currency: Currency | undefined;
        if (saleId !== undefined) {
          const sale = getSale.get(saleId);
          if (!sale) throw new DomainError('unknown_sale', `no sale ${saleId} at this branch`, { saleId });
          currency = sale.currency;
        }
        const askedSoFar = new Map<string, number>();
        let total = 0;
        const lines = input.lines.map((l) => {
          const product = requireProduct(ctx, l.productId);
          let unitPrice = product.price_minor;
          if (saleId !== undefined) {
            const s = soldOnSale.get({ s: saleId, p: product.id });
            const asked = (askedSoFar.get(product.id) ?? 0) + l.quantity;
            askedSoFar.set(product.id, asked);
            const returned = returnedOfSale.get({ s: saleId, p: product.id })?.n ?? 0;
            const sold = s?.sold ?? 0;
            if (asked + returned > sold) {
              throw new DomainError('invalid_state', `cannot return ${asked} of ${product.sku} to sale ${saleId}: ${sold} sold, ${returned} already returned`,
                { saleId, productId: product.id, sold, returned, requested: asked });
            }
            unitPrice = s?.price ?? 0;
          } else {
            currency ??= product.currency;
            if (product.currency !== currency) throw new DomainError('validation', `invalid return: ${product.sku} is priced in ${product.currency}, the others in ${currency}`);
          }
          const refundMinor = unitPrice * l.quantity;
          total += refundMinor;
          if (total > MAX_AMOUNT_MINOR) throw new DomainError('validation', 'invalid return: the refund is larger than any till can pay');
          return { productId: product.id, sku: product.sku, nameEn: product.name_en, nameAr: product.name_ar, quantity: l.quantity, refundMinor };
        });
        const cur = currency ?? 'USD';
        insertReturn.run(returnId, env.opId, saleId ?? null, env.actorId, cur, total, input.reason ?? null, env.at);
        lines.forEach((l, i) => {
          insertLine.run(returnId, i + 1, l.productId, l.quantity, l.refundMinor);
          addStock(ctx, l.productId, l.quantity, env.at);
          recordMovement(ctx, l.productId, 'return', l.quantity, 0, returnId, env.opId, env.at);
        });
        const payload: ReturnPayload = {
          returnId, saleId, reason: input.reason,
          lines: lines.map((l) => ({ productId: l.productId, quantity: l.quantity, refundMinor: l.refundMinor })),
        };
        const result: ReturnResult = { returnId, occurredAt: env.at, currency: cur, lines, totalRefundMinor: total };
        if (saleId !== undefined) result.saleId = saleId;
        return { payload, result };
      });
    },
  };
}
