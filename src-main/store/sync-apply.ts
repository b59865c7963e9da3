import type Database from 'better-sqlite3';
import { uuidv7 } from '../../src-shared/ids';
import type { MovementType, Operation, OpType } from '../../src-shared/operations';
import type { FollowUp, OpResult, PullResponse, ReservationStatus } from '../../src-shared/sync';
import type { StoreContext } from './context';
import { normalizeName } from './normalize';

/*
 * The SQL the sync engine needs from the branch store (issue 4): its own
 * state (cursor, last sync, enrollment facts), applying one pull page in one
 * transaction, and the rebase of this warehouse's levels.
 *
 * Rebase: this warehouse's level := central's level + the effect of local ops
 * central had not applied when it read that level (outbox seq > the page's
 * lastAppliedSeq; their movements carry op_id). Central's last known level per
 * product is kept (sync_central_levels), so products absent from a page are
 * rebased too when ops central has since applied or refused touched them. The
 * difference is written as a `sync_rebase` movement: levels stay the fold of
 * their movements. Other warehouses' levels are copied as-is (also through
 * `sync_rebase` movements), stamped with the time central read them.
 */

export const SYNC_SCHEMA = `
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  server_url TEXT,
  device_id TEXT,
  cursor TEXT,
  -- this device's last seq central had applied at the last pull (rebase boundary)
  last_applied_seq INTEGER NOT NULL DEFAULT 0,
  last_sync_at TEXT,
  updated_at TEXT NOT NULL
) STRICT;
INSERT INTO sync_state (id, updated_at) VALUES (1, '1970-01-01T00:00:00.000Z');

-- Central's level of this warehouse's products at the last pull that carried them.
CREATE TABLE sync_central_levels (
  product_id TEXT PRIMARY KEY,
  quantity INTEGER NOT NULL,
  reserved INTEGER NOT NULL,
  read_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Reservations central refused: someone calls the customer. One per reservation.
CREATE TABLE follow_ups (
  reservation_id TEXT PRIMARY KEY,
  id TEXT NOT NULL,
  warehouse_id TEXT NOT NULL,
  customer_name TEXT NOT NULL,
  customer_phone TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  closed_at TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX follow_ups_open ON follow_ups (closed_at, created_at);

CREATE TABLE exchange_rates (
  currency TEXT PRIMARY KEY CHECK (currency IN ('LBP')),
  per_usd INTEGER NOT NULL CHECK (per_usd >= 1),
  effective_at TEXT NOT NULL
) STRICT;
`;

export interface SyncStateRow {
  server_url: string | null;
  device_id: string | null;
  cursor: string | null;
  last_applied_seq: number;
  last_sync_at: string | null;
}

export interface SyncCounters {
  pendingOps: number;
  oldestPendingAt: string | null;
  lastSyncAt: string | null;
  openFollowUps: number;
  openDiscrepancies: number;
}

export interface PageStats { products: number; levels: number; rebased: number; reservations: number; followUps: number }

type Delta = { q: number; r: number };

export function createSyncApply(ctx: StoreContext, hooks: { applyTransferViews?: (views: unknown) => number; applyPurchaseOrders?: (views: unknown) => number } = {}) {
  const { db } = ctx;
  const s = prepare(db);

  function writeLevel(warehouseId: string, productId: string, target: Delta, type: MovementType, referenceId: string | null, at: string): boolean {
    const cur = s.level.get({ t: ctx.tenantId, w: warehouseId, p: productId });
    const dq = target.q - (cur?.quantity ?? 0);
    const dr = target.r - (cur?.reserved ?? 0);
    // A zero level is still news for another warehouse ("none at Zahle as of 10:02"): the row is written, with no movement.
    if (dq === 0 && dr === 0) {
      if (!cur && warehouseId !== ctx.warehouseId) s.putLevel.run({ t: ctx.tenantId, w: warehouseId, p: productId, q: target.q, r: target.r, at });
      return false;
    }
    s.putLevel.run({ t: ctx.tenantId, w: warehouseId, p: productId, q: target.q, r: target.r, at });
    s.movement.run(uuidv7(), ctx.tenantId, warehouseId, productId, type, dq, dr, referenceId, null, ctx.now());
    return true;
  }

  /** Ends an open reservation central refused (or released): reserved goes back, a follow-up is opened on refusal. */
  function closeReservation(reservationId: string, status: 'refused' | 'released', reason: string, followUp: FollowUp | null): boolean {
    const r = s.reservation.get(reservationId);
    if (!r || (r.status !== 'pending' && r.status !== 'held')) return false;
    const at = ctx.now();
    s.closeReservation.run({ id: reservationId, status, at });
    for (const l of s.reservationLines.all(reservationId)) {
      const cur = s.level.get({ t: ctx.tenantId, w: ctx.warehouseId, p: l.product_id }) ?? { quantity: 0, reserved: 0 };
      const back = Math.min(l.quantity, cur.reserved);
      if (back > 0) writeLevel(ctx.warehouseId, l.product_id, { q: cur.quantity, r: cur.reserved - back }, 'release', reservationId, at);
    }
    if (status === 'refused') {
      s.putFollowUp.run({
        rid: reservationId, id: followUp?.id ?? uuidv7(), w: ctx.warehouseId, name: followUp?.customer.name ?? r.customer_name,
        phone: followUp?.customer.phone ?? r.customer_phone, reason: followUp?.reason ?? reason, at: followUp?.createdAt ?? at,
      });
    }
    return true;
  }

  /** Rebases this warehouse's products in `products` onto central's last known level plus ops central had not applied. */
  function rebase(products: Iterable<string>, lastAppliedSeq: number, at: string): number {
    let n = 0;
    // One pass over the pending ops' movements for the whole page, not one per product.
    const pending = new Map(s.pendingEffect.all({ d: ctx.deviceId, seq: lastAppliedSeq, w: ctx.warehouseId }).map((r) => [r.product_id, r]));
    for (const p of products) {
      const c = s.centralLevel.get(p);
      if (!c) continue;
      const pend = pending.get(p) ?? { q: 0, r: 0 };
      // reserved can never go below zero locally; a negative target means central already released more than we hold.
      if (writeLevel(ctx.warehouseId, p, { q: c.quantity + pend.q, r: Math.max(0, c.reserved + pend.r) }, 'sync_rebase', null, at)) n += 1;
    }
    return n;
  }

  return {
    state(): SyncStateRow {
      const row = s.state.get();
      if (!row) throw new Error('sync_state row missing: the sync migration has not run');
      return row;
    },

    saveIdentity(serverUrl: string, deviceId: string): void {
      s.setIdentity.run(serverUrl, deviceId, ctx.now());
    },

    /** One pull page, all or nothing, cursor included: a crash mid-page re-pulls the same page. */
    applyPage(page: PullResponse): PageStats {
      return ctx.tx(() => {
        const at = page.serverTime;
        const stats: PageStats = { products: 0, levels: 0, rebased: 0, reservations: 0, followUps: 0 };
        for (const w of page.warehouses) s.putWarehouse.run({ id: w.id, t: ctx.tenantId, code: w.code, name: w.name, kind: w.kind, tz: w.timezone, at: ctx.now() });
        for (const p of page.products) {
          s.putProduct.run({
            id: p.id, t: ctx.tenantId, sku: p.sku, en: p.nameEn, ar: p.nameAr, enN: normalizeName(p.nameEn), arN: normalizeName(p.nameAr),
            price: p.priceMinor, cur: p.currency, tax: p.taxClass, active: p.active ? 1 : 0, at: ctx.now(),
          });
          s.dropBarcodes.run(p.id);
          for (const b of p.barcodes) s.putBarcode.run(b, p.id);
          stats.products += 1;
        }
        for (const r of page.exchangeRates) s.putRate.run(r.currency, r.perUsd, r.effectiveAt);
        if (page.transfers.length > 0 && hooks.applyTransferViews) hooks.applyTransferViews(page.transfers);
        if (page.purchaseOrders && page.purchaseOrders.length > 0 && hooks.applyPurchaseOrders) hooks.applyPurchaseOrders(page.purchaseOrders);

        const followUpByReservation = new Map(page.followUps.map((f) => [f.reservationId, f]));
        for (const o of page.reservations) {
          if (o.status === 'refused' || o.status === 'released') {
            if (closeReservation(o.reservationId, o.status, o.reason ?? 'refused by central', followUpByReservation.get(o.reservationId) ?? null)) stats.reservations += 1;
          } else if (o.status === 'held') {
            stats.reservations += s.holdReservation.run(o.reservationId).changes;
          }
        }
        for (const f of page.followUps) {
          if (f.warehouseId !== ctx.warehouseId) continue;
          s.putFollowUp.run({ rid: f.reservationId, id: f.id, w: f.warehouseId, name: f.customer.name, phone: f.customer.phone, reason: f.reason, at: f.createdAt });
          if (f.closedAt !== null) s.closeFollowUp.run(f.closedAt, f.reservationId);
          stats.followUps += 1;
        }
        for (const d of page.discrepancies) {
          if (d.warehouseId !== ctx.warehouseId || !s.productExists.get(d.productId)) continue;
          s.putDiscrepancy.run({ id: d.id, w: d.warehouseId, p: d.productId, kind: d.kind, q: d.quantity, ref: d.referenceId ?? null, at: d.createdAt, resolved: d.resolvedAt });
        }

        const prevApplied = s.state.get()?.last_applied_seq ?? 0;
        const touched = new Set<string>();
        for (const l of page.levels) {
          if (!s.productExists.get(l.productId)) continue;
          stats.levels += 1;
          if (l.warehouseId === ctx.warehouseId) {
            s.putCentralLevel.run({ p: l.productId, q: l.quantity, r: l.reserved, at: l.updatedAt });
            touched.add(l.productId);
          } else {
            writeLevel(l.warehouseId, l.productId, { q: l.quantity, r: l.reserved }, 'sync_rebase', null, l.updatedAt);
          }
        }
        // Ops central settled since the last pull (applied or refused) may have moved products the page did not carry.
        if (page.lastAppliedSeq > prevApplied) {
          for (const r of s.productsOfOps.all({ d: ctx.deviceId, lo: prevApplied, hi: page.lastAppliedSeq, w: ctx.warehouseId })) touched.add(r.product_id);
        }
        stats.rebased = rebase(touched, page.lastAppliedSeq, at);
        s.setCursor.run({ cursor: page.cursor, seq: Math.max(prevApplied, page.lastAppliedSeq), at: ctx.now() });
        return stats;
      });
    },

    /** After a push: refusals of reservations are acted on at once (released here, a follow-up opened). */
    applyPushResults(results: readonly OpResult[]): number {
      const refusedReserves = results.filter((r) => r.status === 'refused');
      if (refusedReserves.length === 0) return 0;
      return ctx.tx(() => {
        let n = 0;
        for (const r of refusedReserves) {
          const op = s.outboxOp.get(r.opId);
          if (!op || op.type !== 'reserve') continue;
          const rid = (JSON.parse(op.payload) as { reservationId: string }).reservationId;
          if (closeReservation(rid, 'refused', r.error?.message ?? 'refused by central', null)) n += 1;
        }
        return n;
      });
    },

    /** Marks a successful sync (push and pull done). */
    markSyncedAt(at: string): void {
      s.setLastSync.run(at, ctx.now());
    },

    /** This device's ops from `seq` on, whatever their sync state (to refill a central that lost them). */
    opsFromSeq(seq: number, limit: number): Operation[] {
      return s.opsFrom.all({ d: ctx.deviceId, seq, limit }).map((r) => ({
        opId: r.op_id, seq: r.seq, type: r.type, occurredAt: r.created_at, actorId: r.actor_id, payload: JSON.parse(r.payload) as unknown,
      }) as Operation);
    },

    /** Open follow-ups, oldest first, in the shape the screens list them (src-shared/branch-api FollowUpRow). */
    followUps(limit = 200): Array<{ id: string; reservationId: string; customer: { name: string; phone: string }; reason: string; createdAt: string }> {
      return s.followUpList.all(limit).map((r) => ({
        id: r.id, reservationId: r.reservation_id, customer: { name: r.customer_name, phone: r.customer_phone }, reason: r.reason, createdAt: r.created_at,
      }));
    },

    /** Central's latest LBP rate, or null before the first pull brought one. */
    lbpPerUsd(): number | null {
      return s.rate.get()?.per_usd ?? null;
    },

    /** The store's part of the sync status. */
    counters(): SyncCounters {
      const o = s.pendingSummary.get(ctx.deviceId);
      return {
        pendingOps: o?.n ?? 0,
        oldestPendingAt: o?.oldest ?? null,
        lastSyncAt: s.state.get()?.last_sync_at ?? null,
        openFollowUps: s.openFollowUps.get()?.n ?? 0,
        openDiscrepancies: s.openDiscrepancies.get(ctx.warehouseId)?.n ?? 0,
      };
    },

    /** Runs fn in the store's transaction (so marking push results and acting on them commit together). */
    inTransaction<T>(fn: () => T): T {
      return ctx.tx(fn);
    },
  };
}
export type SyncApply = ReturnType<typeof createSyncApply>;

function prepare(db: Database.Database) {
  type W = { t: string; w: string; p: string };
  return {
    state: db.prepare<[], SyncStateRow>('SELECT server_url, device_id, cursor, last_applied_seq, last_sync_at FROM sync_state WHERE id = 1'),
    setIdentity: db.prepare<[string, string, string]>('UPDATE sync_state SET server_url = ?, device_id = ?, updated_at = ? WHERE id = 1'),
    setCursor: db.prepare<{ cursor: string; seq: number; at: string }>('UPDATE sync_state SET cursor = @cursor, last_applied_seq = @seq, updated_at = @at WHERE id = 1'),
    setLastSync: db.prepare<[string, string]>('UPDATE sync_state SET last_sync_at = ?, updated_at = ? WHERE id = 1'),
    level: db.prepare<W, { quantity: number; reserved: number }>(
      'SELECT quantity, reserved FROM inventory_levels WHERE tenant_id = @t AND warehouse_id = @w AND product_id = @p'),
    putLevel: db.prepare<W & { q: number; r: number; at: string }>(
      `INSERT INTO inventory_levels (tenant_id, warehouse_id, product_id, quantity, reserved, updated_at) VALUES (@t, @w, @p, @q, @r, @at)
       ON CONFLICT (tenant_id, warehouse_id, product_id) DO UPDATE SET quantity = excluded.quantity, reserved = excluded.reserved, updated_at = excluded.updated_at`),
    movement: db.prepare<[string, string, string, string, MovementType, number, number, string | null, string | null, string]>(
      `INSERT INTO inventory_movements (id, tenant_id, warehouse_id, product_id, movement_type, quantity_delta, reserved_delta, reference_id, op_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    centralLevel: db.prepare<[string], { quantity: number; reserved: number }>('SELECT quantity, reserved FROM sync_central_levels WHERE product_id = ?'),
    putCentralLevel: db.prepare<{ p: string; q: number; r: number; at: string }>(
      `INSERT INTO sync_central_levels (product_id, quantity, reserved, read_at) VALUES (@p, @q, @r, @at)
       ON CONFLICT (product_id) DO UPDATE SET quantity = excluded.quantity, reserved = excluded.reserved, read_at = excluded.read_at`),
    pendingEffect: db.prepare<{ d: string; seq: number; w: string }, { product_id: string; q: number; r: number }>(
      `SELECT m.product_id, sum(m.quantity_delta) AS q, sum(m.reserved_delta) AS r FROM outbox o JOIN inventory_movements m ON m.op_id = o.op_id
       WHERE o.device_id = @d AND o.seq > @seq AND m.warehouse_id = @w GROUP BY m.product_id`),
    productsOfOps: db.prepare<{ d: string; lo: number; hi: number; w: string }, { product_id: string }>(
      `SELECT DISTINCT m.product_id FROM outbox o JOIN inventory_movements m ON m.op_id = o.op_id
       WHERE o.device_id = @d AND o.seq > @lo AND o.seq <= @hi AND m.warehouse_id = @w`),
    productExists: db.prepare<[string], { id: string }>('SELECT id FROM products WHERE id = ?'),
    putWarehouse: db.prepare<Record<string, string>>(
      `INSERT INTO warehouses (id, tenant_id, code, name, kind, timezone, updated_at) VALUES (@id, @t, @code, @name, @kind, @tz, @at)
       ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, kind = excluded.kind, timezone = excluded.timezone, updated_at = excluded.updated_at`),
    // The branch's reorder level is its own setting: central's catalog does not overwrite it.
    putProduct: db.prepare<Record<string, string | number>>(
      `INSERT INTO products (id, tenant_id, sku, name_en, name_ar, name_en_norm, name_ar_norm, price_minor, currency, tax_class, active, updated_at)
       VALUES (@id, @t, @sku, @en, @ar, @enN, @arN, @price, @cur, @tax, @active, @at)
       ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, name_en = excluded.name_en, name_ar = excluded.name_ar, name_en_norm = excluded.name_en_norm,
         name_ar_norm = excluded.name_ar_norm, price_minor = excluded.price_minor, currency = excluded.currency, tax_class = excluded.tax_class,
         active = excluded.active, updated_at = excluded.updated_at`),
    dropBarcodes: db.prepare<[string]>('DELETE FROM product_barcodes WHERE product_id = ?'),
    putBarcode: db.prepare<[string, string]>(
      'INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?) ON CONFLICT (barcode) DO UPDATE SET product_id = excluded.product_id'),
    putRate: db.prepare<[string, number, string]>(
      `INSERT INTO exchange_rates (currency, per_usd, effective_at) VALUES (?, ?, ?)
       ON CONFLICT (currency) DO UPDATE SET per_usd = excluded.per_usd, effective_at = excluded.effective_at WHERE excluded.effective_at >= exchange_rates.effective_at`),
    reservation: db.prepare<[string], { status: ReservationStatus; customer_name: string; customer_phone: string }>(
      'SELECT status, customer_name, customer_phone FROM reservations WHERE id = ?'),
    reservationLines: db.prepare<[string], { product_id: string; quantity: number }>(
      'SELECT product_id, quantity FROM reservation_lines WHERE reservation_id = ? ORDER BY line_no'),
    closeReservation: db.prepare<{ id: string; status: ReservationStatus; at: string }>(
      'UPDATE reservations SET status = @status, closed_at = @at WHERE id = @id'),
    holdReservation: db.prepare<[string]>("UPDATE reservations SET status = 'held' WHERE id = ? AND status = 'pending'"),
    putFollowUp: db.prepare<Record<string, string>>(
      `INSERT INTO follow_ups (reservation_id, id, warehouse_id, customer_name, customer_phone, reason, created_at) VALUES (@rid, @id, @w, @name, @phone, @reason, @at)
       ON CONFLICT (reservation_id) DO UPDATE SET id = excluded.id, reason = excluded.reason`),
    closeFollowUp: db.prepare<[string, string]>('UPDATE follow_ups SET closed_at = ? WHERE reservation_id = ? AND closed_at IS NULL'),
    pendingSummary: db.prepare<[string], { n: number; oldest: string | null }>(
      "SELECT count(*) AS n, min(created_at) AS oldest FROM outbox WHERE device_id = ? AND sync_status = 'pending'"),
    openDiscrepancies: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM discrepancies WHERE warehouse_id = ? AND resolved_at IS NULL'),
    followUpList: db.prepare<[number], { id: string; reservation_id: string; customer_name: string; customer_phone: string; reason: string; created_at: string }>(
      'SELECT id, reservation_id, customer_name, customer_phone, reason, created_at FROM follow_ups WHERE closed_at IS NULL ORDER BY created_at LIMIT ?'),
    rate: db.prepare<[], { per_usd: number }>("SELECT per_usd FROM exchange_rates WHERE currency = 'LBP'"),
    openFollowUps: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM follow_ups WHERE closed_at IS NULL'),
    putDiscrepancy: db.prepare<{ id: string; w: string; p: string; kind: string; q: number; ref: string | null; at: string; resolved: string | null }>(
      `INSERT INTO discrepancies (id, warehouse_id, product_id, kind, quantity, reference_id, op_id, created_at, resolved_at)
       VALUES (@id, @w, @p, @kind, @q, @ref, NULL, @at, @resolved) ON CONFLICT (id) DO UPDATE SET resolved_at = excluded.resolved_at`),
    outboxOp: db.prepare<[string], { type: OpType; payload: string }>('SELECT type, payload FROM outbox WHERE op_id = ?'),
    opsFrom: db.prepare<{ d: string; seq: number; limit: number }, { op_id: string; seq: number; type: OpType; payload: string; actor_id: string; created_at: string }>(
      'SELECT op_id, seq, type, payload, actor_id, created_at FROM outbox WHERE device_id = @d AND seq >= @seq ORDER BY seq LIMIT @limit'),
  };
}
