import { DomainError, type ErrorBody } from '../../../src-shared/errors';
import { uuidv7 } from '../../../src-shared/ids';
import type { FulfilPayload, ReleasePayload, ReservePayload } from '../../../src-shared/operations';
import type { ApplyOutcome, OpContext } from '../context';
import { applyDeltas, enqueueOutbox, flagNegative, mergeLines } from '../levels';

interface Shortage { productId: string; requested: number; available: number }

/**
 * Holds every line or returns the first shortfall. Each line is the conditional
 * UPDATE (rule 3) with its movement in the same statement. Applied alone, the
 * hot level row is locked as late as possible and held for as few round trips
 * as possible; in a push group it was locked with the group's other rows at
 * the group's start (push-group.ts).
 */
async function holdLines(c: OpContext, reservationId: string, lines: { productId: string; quantity: number }[]): Promise<Shortage | null> {
  for (const l of lines) {
    const r = await c.tx.query<{ held: number }>(
      `WITH u AS (
         UPDATE inventory_levels SET reserved = reserved + $4, updated_at = now()
          WHERE tenant_id = $1 AND warehouse_id = $2 AND product_id = $3 AND quantity - reserved >= $4
         RETURNING product_id
       ), m AS (
         INSERT INTO inventory_movements (tenant_id, warehouse_id, product_id, quantity_delta, reserved_delta, movement_type, reference_id, op_id, device_id)
         SELECT $1, $2, product_id, 0, $4, 'reserve', $5, $6, $7 FROM u
       )
       SELECT count(*)::int AS held FROM u`,
      [c.tenantId, c.warehouseId, l.productId, l.quantity, reservationId, c.opId, c.deviceId]);
    if (r.rows[0]?.held === 1) continue;
    // A missing level row holds nothing available, so it fails here too.
    const s = await c.tx.query<{ available: number | null }>(
      `SELECT (SELECT quantity - reserved FROM inventory_levels
                WHERE tenant_id = $1 AND warehouse_id = $2 AND product_id = $3) AS available
         FROM products WHERE tenant_id = $1 AND id = $3`,
      [c.tenantId, c.warehouseId, l.productId]);
    if (!s.rows[0]) throw new DomainError('unknown_product', `unknown product ${l.productId}`, { productId: l.productId });
    return { productId: l.productId, requested: l.quantity, available: Math.max(0, s.rows[0].available ?? 0) };
  }
  return null;
}

async function insertReservation(c: OpContext, p: ReservePayload, status: 'held' | 'refused', reason: string | null): Promise<void> {
  const lines = mergeLines(p.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })));
  // A reused reservation id fails the primary key: a refusal (invalid_state) by the caller.
  await c.tx.query(
    `WITH r AS (
       INSERT INTO reservations (tenant_id, id, warehouse_id, device_id, op_id, status, customer, reason, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     )
     INSERT INTO reservation_lines (tenant_id, reservation_id, product_id, quantity) SELECT $1, $2, p, q FROM unnest($10::uuid[], $11::int[]) AS x(p, q)`,
    [c.tenantId, p.reservationId, c.warehouseId, c.deviceId, c.opId, status, JSON.stringify(p.customer), reason, p.expiresAt ?? null,
      lines.map((l) => l.productId), lines.map((l) => l.quantity)]);
}

/** R8/R9: held only if every line finds enough available at this moment; else refused with a follow-up to call the customer. */
export async function applyReserve(c: OpContext, p: ReservePayload): Promise<ApplyOutcome> {
  const lines = mergeLines(p.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })));
  // Only several lines can leave some held when a later one falls short; one line needs no savepoint.
  const partial = lines.length > 1;
  if (partial) await c.tx.query('SAVEPOINT reserve_lines');
  // The records first, the hot row last: the lock is then held only until commit.
  await insertReservation(c, p, 'held', null);
  const short = await holdLines(c, p.reservationId, lines);
  if (short === null) {
    // Released, so a push group of many reservations does not pile up open subtransactions.
    if (partial) await c.tx.query('RELEASE SAVEPOINT reserve_lines');
    return { status: 'applied', result: { reservationId: p.reservationId, outcome: 'held' } };
  }
  const reason = `insufficient stock for product ${short.productId}: requested ${short.requested}, available ${short.available}`;
  if (partial) {
    await c.tx.query('ROLLBACK TO SAVEPOINT reserve_lines');
    await insertReservation(c, p, 'refused', reason);
  } else {
    await c.tx.query(`UPDATE reservations SET status = 'refused', reason = $3 WHERE tenant_id = $1 AND id = $2`, [c.tenantId, p.reservationId, reason]);
  }
  const followUpId = uuidv7();
  await c.tx.query(
    `INSERT INTO follow_ups (tenant_id, id, warehouse_id, reservation_id, customer, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
    [c.tenantId, followUpId, c.warehouseId, p.reservationId, JSON.stringify(p.customer), reason]);
  await enqueueOutbox(c, 'follow_up.created', { followUpId, reservationId: p.reservationId, warehouseId: c.warehouseId });
  const error: ErrorBody = { code: 'insufficient_stock', message: reason, details: short };
  return { status: 'refused', result: { reservationId: p.reservationId, outcome: 'refused', followUpId }, error };
}

interface ReservationRow { status: 'held' | 'refused' | 'released' | 'fulfilled'; warehouse_id: string }

async function lockReservation(c: OpContext, reservationId: string): Promise<{ row: ReservationRow; lines: { productId: string; quantity: number }[] }> {
  const r = await c.tx.query<ReservationRow>(
    `SELECT status, warehouse_id FROM reservations WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [c.tenantId, reservationId]);
  const row = r.rows[0];
  if (!row || row.warehouse_id !== c.warehouseId) throw new DomainError('unknown_reservation', `unknown reservation ${reservationId}`);
  const l = await c.tx.query<{ productId: string; quantity: number }>(
    `SELECT product_id AS "productId", quantity FROM reservation_lines WHERE tenant_id = $1 AND reservation_id = $2 ORDER BY product_id`,
    [c.tenantId, reservationId]);
  return { row, lines: l.rows };
}

async function setStatus(c: OpContext, reservationId: string, status: ReservationRow['status'], reason: string | null): Promise<void> {
  await c.tx.query(`UPDATE reservations SET status = $3, reason = coalesce($4, reason), updated_at = now() WHERE tenant_id = $1 AND id = $2`,
    [c.tenantId, reservationId, status, reason]);
}

/** R10: releasing twice (or releasing what was never held) changes nothing. */
export async function applyRelease(c: OpContext, p: ReleasePayload): Promise<ApplyOutcome> {
  const { row, lines } = await lockReservation(c, p.reservationId);
  if (row.status === 'fulfilled') throw new DomainError('invalid_state', `reservation ${p.reservationId} was already fulfilled`);
  if (row.status !== 'held') return { status: 'applied', result: { reservationId: p.reservationId, outcome: row.status, changed: false } };
  await applyDeltas(c, c.warehouseId, lines.map((l) => ({ productId: l.productId, quantity: 0, reserved: -l.quantity })), 'release', p.reservationId);
  await setStatus(c, p.reservationId, 'released', p.reason ?? null);
  return { status: 'applied', result: { reservationId: p.reservationId, outcome: 'released', changed: true } };
}

/** R11: reserved becomes sold once; a refused or released reservation collected anyway is a sale (R6). */
export async function applyFulfil(c: OpContext, p: FulfilPayload): Promise<ApplyOutcome> {
  const { row, lines } = await lockReservation(c, p.reservationId);
  if (row.status === 'fulfilled') return { status: 'applied', result: { reservationId: p.reservationId, outcome: 'fulfilled', changed: false } };
  const wasHeld = row.status === 'held';
  await c.tx.query(
    `INSERT INTO sales (tenant_id, id, warehouse_id, device_id, op_id, currency, total_minor, reservation_id, payload, occurred_at)
     SELECT $1, $2, $3, $4, $5, coalesce(min(p.currency), 'USD'), coalesce(sum(l.quantity * p.price_minor), 0), $6, $7, $8
       FROM reservation_lines l JOIN products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
      WHERE l.tenant_id = $1 AND l.reservation_id = $6`,
    [c.tenantId, p.saleId, c.warehouseId, c.deviceId, c.opId, p.reservationId, JSON.stringify(p), c.occurredAt]);
  const after = await applyDeltas(c, c.warehouseId,
    lines.map((l) => ({ productId: l.productId, quantity: -l.quantity, reserved: wasHeld ? -l.quantity : 0 })), 'fulfil', p.reservationId);
  const discrepancyIds = await flagNegative(c, c.warehouseId, after, new Set(after.map((l) => l.productId)), p.reservationId);
  await setStatus(c, p.reservationId, 'fulfilled', null);
  return { status: 'applied', result: { reservationId: p.reservationId, outcome: 'fulfilled', changed: true, saleId: p.saleId, discrepancyIds } };
}
