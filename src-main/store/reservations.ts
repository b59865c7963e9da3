import { FulfilInput, ReleaseInput, ReserveInput, type ReleaseResult, type ReservationResult, type SaleReceipt } from '../../src-shared/branch-inputs';
import { DomainError, parseOrThrow } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import type { FulfilPayload, ReleasePayload, ReservePayload } from '../../src-shared/operations';
import type { ReservationStatus } from '../../src-shared/sync';
import { insufficient, recordMovement, requireProduct, type StoreContext } from './context';
import { priceLines, settle } from './pricing';
import { runOp, type OutboxWrites } from './run-op';
import { writeSale, type SaleExtras, type SaleWrites } from './sales';

/*
 * Customer orders held for pickup or delivery. Reserving moves stock into
 * `reserved` (available = quantity - reserved) by the conditional UPDATE;
 * release gives it back; fulfil turns it into a sale (quantity and reserved
 * both drop). A reservation is open while pending (made here, central not yet
 * heard) or held (central confirmed); released, refused and fulfilled are final.
 */

const OPEN: ReadonlySet<ReservationStatus> = new Set(['pending', 'held']);

interface ReservationRow { id: string; status: ReservationStatus }
interface LineRow { product_id: string; quantity: number }

export function createReservations(ctx: StoreContext, ob: OutboxWrites, sw: SaleWrites) {
  const { db, stmt } = ctx;
  const insertReservation = db.prepare<[string, string, string, string, string, string | null, string]>(
    `INSERT INTO reservations (id, op_id, actor_id, customer_name, customer_phone, status, expires_at, created_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`);
  const insertLine = db.prepare<[string, number, string, number]>(
    'INSERT INTO reservation_lines (reservation_id, line_no, product_id, quantity) VALUES (?, ?, ?, ?)');
  const getReservation = db.prepare<[string], ReservationRow>('SELECT id, status FROM reservations WHERE id = ?');
  const getLines = db.prepare<[string], LineRow>('SELECT product_id, quantity FROM reservation_lines WHERE reservation_id = ? ORDER BY line_no');
  const expiredOpen = db.prepare<[string], { id: string }>(
    "SELECT id FROM reservations WHERE status IN ('pending', 'held') AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at, id");
  const close = db.prepare<{ id: string; status: ReservationStatus; saleId: string | null; opId: string; at: string }>(
    'UPDATE reservations SET status = @status, sale_id = @saleId, closed_op_id = @opId, closed_at = @at WHERE id = @id');

  function openReservation(id: string, action: string): LineRow[] {
    const r = getReservation.get(id);
    if (!r) throw new DomainError('unknown_reservation', `no reservation ${id} at this branch`, { reservationId: id });
    if (!OPEN.has(r.status)) {
      throw new DomainError('invalid_state', `cannot ${action} reservation ${id}: it is ${r.status}`, { reservationId: id, status: r.status });
    }
    return getLines.all(id);
  }

  /** The level lost stock this reservation held: the store's own invariant is broken, not the user's input. */
  function heldStockMissing(reservationId: string, productId: string): Error {
    return new Error(`reservation ${reservationId}: the level of ${productId} no longer holds its reserved stock`);
  }

  const api = {
    reserve(raw: unknown): ReservationResult {
      const input = parseOrThrow(ReserveInput, raw, 'reservation');
      return runOp(ctx, ob, 'reserve', input, { receipt: false }, (env) => {
        const reservationId = uuidv7();
        // Stored in UTC so that expiry compares as text against the clock (the op keeps what was given).
        const expiresUtc = input.expiresAt === undefined ? null : new Date(input.expiresAt).toISOString();
        insertReservation.run(reservationId, env.opId, env.actorId, input.customer.name, input.customer.phone, expiresUtc, env.at);
        const lines = input.lines.map((l, i) => {
          const product = requireProduct(ctx, l.productId);
          if (product.active !== 1) throw new DomainError('invalid_state', `${product.sku} is inactive in the catalog`, { productId: product.id });
          const r = stmt.reserveStock.run({ t: ctx.tenantId, w: ctx.warehouseId, p: product.id, q: l.quantity, now: env.at });
          if (r.changes !== 1) throw insufficient(ctx, product, l.quantity);
          insertLine.run(reservationId, i + 1, product.id, l.quantity);
          recordMovement(ctx, product.id, 'reserve', 0, l.quantity, reservationId, env.opId, env.at);
          return { productId: product.id, sku: product.sku, nameEn: product.name_en, nameAr: product.name_ar, quantity: l.quantity };
        });
        const payload: ReservePayload = { reservationId, customer: input.customer, lines: input.lines, expiresAt: input.expiresAt };
        const result: ReservationResult = { reservationId, status: 'pending', customer: input.customer, lines, occurredAt: env.at };
        if (input.expiresAt !== undefined) result.expiresAt = input.expiresAt;
        return { payload, result };
      });
    },

    release(raw: unknown): ReleaseResult {
      const input = parseOrThrow(ReleaseInput, raw, 'release');
      return runOp(ctx, ob, 'release', input, { receipt: false }, (env) => {
        for (const l of openReservation(input.reservationId, 'release')) {
          const r = stmt.unreserveStock.run({ t: ctx.tenantId, w: ctx.warehouseId, p: l.product_id, q: l.quantity, now: env.at });
          if (r.changes !== 1) throw heldStockMissing(input.reservationId, l.product_id);
          recordMovement(ctx, l.product_id, 'release', 0, -l.quantity, input.reservationId, env.opId, env.at);
        }
        close.run({ id: input.reservationId, status: 'released', saleId: null, opId: env.opId, at: env.at });
        const payload: ReleasePayload = { reservationId: input.reservationId, reason: input.reason };
        const result: ReleaseResult = { reservationId: input.reservationId, status: 'released', occurredAt: env.at };
        return { payload, result };
      });
    },

    /** The customer collected and paid: the reserved stock leaves as a sale with its own receipt number. */
    fulfil(raw: unknown): SaleReceipt {
      const input = parseOrThrow(FulfilInput, raw, 'fulfilment');
      return runOp(ctx, ob, 'fulfil', input, { receipt: true }, (env) => {
        const lines = openReservation(input.reservationId, 'fulfil');
        const priced = priceLines(ctx, lines.map((l) => ({ productId: l.product_id, quantity: l.quantity })), true);
        settle(priced.totalMinor, priced.currency, input.payments, input.lbpPerUsd);
        const saleId = uuidv7();
        for (const l of lines) {
          const r = stmt.fulfilStock.run({ t: ctx.tenantId, w: ctx.warehouseId, p: l.product_id, q: l.quantity, now: env.at });
          if (r.changes !== 1) throw heldStockMissing(input.reservationId, l.product_id);
          recordMovement(ctx, l.product_id, 'fulfil', -l.quantity, -l.quantity, input.reservationId, env.opId, env.at);
        }
        const extras: SaleExtras = { discrepancyIds: [], reservationId: input.reservationId };
        if (input.lbpPerUsd !== undefined) extras.lbpPerUsd = input.lbpPerUsd;
        const result = writeSale(ctx, sw, env, saleId, priced, input.payments, extras);
        close.run({ id: input.reservationId, status: 'fulfilled', saleId, opId: env.opId, at: env.at });
        const payload: FulfilPayload = { reservationId: input.reservationId, saleId };
        return { payload, result };
      });
    },

    /**
     * Releases every open reservation past its expiry, each as its own `release`
     * op (so central learns of it like any other); returns what was released.
     * The host calls it on a timer.
     */
    releaseExpired(actorId = 'system:expiry'): ReleaseResult[] {
      return expiredOpen.all(ctx.now()).map((r) => api.release({ opId: uuidv7(), actorId, reservationId: r.id, reason: 'expired' }));
    },
  };
  return api;
}
