import type Database from 'better-sqlite3';
import { SellInput, type SaleReceipt } from '../../src-shared/branch-inputs';
import { parseOrThrow } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import type { Payment, SalePayload } from '../../src-shared/operations';
import { addStock, insufficient, raiseDiscrepancy, recordMovement, type StoreContext } from './context';
import { priceLines, settle, type PricedSale } from './pricing';
import { runOp, type OpEnv, type OutboxWrites } from './run-op';

export const SALE_SQL = {
  insertSale: `INSERT INTO sales (id, op_id, device_id, receipt_no, actor_id, currency, net_minor, tax_minor, total_minor,
    paid_minor, change_minor, lbp_per_usd, line_count, payment_count, reservation_id, override_manager, override_reason, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertSaleLine: `INSERT INTO sale_lines (sale_id, line_no, product_id, quantity, unit_price_minor, tax_rate_bp, line_total_minor, tax_minor)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  insertPayment: 'INSERT INTO payments (sale_id, payment_no, method, currency, amount_minor, reference) VALUES (?, ?, ?, ?, ?, ?)',
} as const;

type SaleRowParams = [string, string, string, number, string, string, number, number, number, number, number, number | null, number, number, string | null, string | null, string | null, string];

export function prepareSaleWrites(db: Database.Database) {
  return {
    insertSale: db.prepare<SaleRowParams>(SALE_SQL.insertSale),
    insertSaleLine: db.prepare<[string, number, string, number, number, number, number, number]>(SALE_SQL.insertSaleLine),
    insertPayment: db.prepare<[string, number, string, string, number, string | null]>(SALE_SQL.insertPayment),
  };
}
export type SaleWrites = ReturnType<typeof prepareSaleWrites>;

export interface SaleExtras {
  reservationId?: string;
  override?: { managerId: string; reason: string };
  discrepancyIds: string[];
  lbpPerUsd?: number;
}

/** Writes the sale, its lines and payments (stock is the caller's job: sale or fulfil) and returns the receipt. */
export function writeSale(
  ctx: StoreContext, sw: SaleWrites, env: OpEnv, saleId: string, priced: PricedSale, payments: Payment[], extras: SaleExtras,
): SaleReceipt {
  const { paidMinor, changeDueMinor } = settle(priced.totalMinor, priced.currency, payments, extras.lbpPerUsd);
  sw.insertSale.run(saleId, env.opId, ctx.deviceId, env.receiptNo, env.actorId, priced.currency, priced.netMinor, priced.taxMinor,
    priced.totalMinor, paidMinor, changeDueMinor, extras.lbpPerUsd ?? null, priced.lines.length, payments.length,
    extras.reservationId ?? null, extras.override?.managerId ?? null, extras.override?.reason ?? null, env.at);
  priced.lines.forEach(({ line }, i) => {
    sw.insertSaleLine.run(saleId, i + 1, line.productId, line.quantity, line.unitPriceMinor, line.taxRateBp, line.lineTotalMinor, line.taxMinor);
  });
  payments.forEach((p, i) => sw.insertPayment.run(saleId, i + 1, p.method, p.currency, p.amountMinor, p.reference ?? null));
  const receipt: SaleReceipt = {
    saleId, receiptNo: env.receiptNo, deviceId: ctx.deviceId, occurredAt: env.at, actorId: env.actorId, currency: priced.currency,
    lines: priced.lines.map((l) => l.line), netMinor: priced.netMinor, taxMinor: priced.taxMinor, totalMinor: priced.totalMinor,
    payments, paidMinor, changeDueMinor, discrepancyIds: extras.discrepancyIds,
  };
  if (extras.lbpPerUsd !== undefined) receipt.lbpPerUsd = extras.lbpPerUsd;
  if (extras.reservationId !== undefined) receipt.reservationId = extras.reservationId;
  if (extras.override !== undefined) receipt.override = extras.override;
  return receipt;
}

export function createSales(ctx: StoreContext, ob: OutboxWrites, sw: SaleWrites) {
  const { takeStock } = ctx.stmt;
  return {
    /** A till sale: all lines or none; with a manager's override, recorded even without stock. */
    sell(raw: unknown): SaleReceipt {
      const input = parseOrThrow(SellInput, raw, 'sale');
      return runOp(ctx, ob, 'sale', input, { receipt: true }, (env) => {
        const priced = priceLines(ctx, input.lines);
        // Refuse an unpaid sale before touching stock.
        settle(priced.totalMinor, priced.currency, input.payments, input.lbpPerUsd);
        const saleId = uuidv7();
        const discrepancyIds: string[] = [];
        for (const { product, line } of priced.lines) {
          const taken = takeStock.run({ t: ctx.tenantId, w: ctx.warehouseId, p: product.id, q: line.quantity, now: env.at });
          if (taken.changes !== 1) {
            if (!input.override) throw insufficient(ctx, product, line.quantity);
            // As central records it (docs/conflicts.md R6): the discrepancy's quantity is the available after the sale.
            const after = addStock(ctx, product.id, -line.quantity, env.at);
            discrepancyIds.push(raiseDiscrepancy(ctx, product.id, 'negative_stock', after.quantity - after.reserved, saleId, env.opId, env.at));
          }
          recordMovement(ctx, product.id, 'sale', -line.quantity, 0, saleId, env.opId, env.at);
        }
        const extras: SaleExtras = { discrepancyIds };
        if (input.override) extras.override = input.override;
        if (input.lbpPerUsd !== undefined) extras.lbpPerUsd = input.lbpPerUsd;
        const result = writeSale(ctx, sw, env, saleId, priced, input.payments, extras);
        const payload: SalePayload = {
          saleId, receiptNo: env.receiptNo, currency: priced.currency,
          lines: priced.lines.map(({ line }) => ({ productId: line.productId, quantity: line.quantity, unitPriceMinor: line.unitPriceMinor, taxRateBp: line.taxRateBp })),
          payments: input.payments, lbpPerUsd: input.lbpPerUsd, override: input.override,
        };
        return { payload, result };
      });
    },
  };
}
