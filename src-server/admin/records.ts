import type { CloseBody, DeviceView, ExchangeRateBody, ListQuery } from '../../src-shared/admin';
import { DomainError } from '../../src-shared/errors';
import type { Discrepancy, ExchangeRate, FollowUp } from '../../src-shared/sync';
import type { Queryable } from '../db/database';
import { iso, isoOrNull } from './tenant-scope';

/* Exchange rates, devices, and the lists a manager works through: discrepancies to recount, customers to call back. */

export async function addExchangeRate(tx: Queryable, tenantId: string, body: ExchangeRateBody): Promise<ExchangeRate> {
  const r = await tx.query<{ per_usd: string | number; effective_at: unknown }>(
    `INSERT INTO exchange_rates (tenant_id, currency, per_usd, effective_at) VALUES ($1, 'LBP', $2, COALESCE($3::timestamptz, now()))
     ON CONFLICT (tenant_id, currency, effective_at) DO UPDATE SET per_usd = EXCLUDED.per_usd
     RETURNING per_usd, effective_at`,
    [tenantId, body.perUsd, body.effectiveAt ?? null]);
  const row = r.rows[0];
  if (!row) throw new Error('exchange rate insert returned nothing');
  return { currency: 'LBP', perUsd: Number(row.per_usd), effectiveAt: iso(row.effective_at) };
}

export async function listExchangeRates(tx: Queryable, tenantId: string, limit = 100): Promise<ExchangeRate[]> {
  const r = await tx.query<{ per_usd: string | number; effective_at: unknown }>(
    `SELECT per_usd, effective_at FROM exchange_rates WHERE tenant_id = $1 ORDER BY effective_at DESC LIMIT $2`, [tenantId, limit]);
  return r.rows.map((x) => ({ currency: 'LBP' as const, perUsd: Number(x.per_usd), effectiveAt: iso(x.effective_at) }));
}

export async function listDevices(tx: Queryable, tenantId: string): Promise<DeviceView[]> {
  const r = await tx.query<{ id: string; warehouse_id: string; name: string; last_applied_seq: string | number; created_at: unknown; last_seen_at: unknown; revoked_at: unknown }>(
    `SELECT id, warehouse_id, name, last_applied_seq, created_at, last_seen_at, revoked_at FROM devices WHERE tenant_id = $1 ORDER BY created_at`, [tenantId]);
  return r.rows.map((d) => ({
    id: d.id, warehouseId: d.warehouse_id, name: d.name, lastAppliedSeq: Number(d.last_applied_seq),
    createdAt: iso(d.created_at), lastSeenAt: isoOrNull(d.last_seen_at), revokedAt: isoOrNull(d.revoked_at),
  }));
}

const statusFilter = (col: string, s: ListQuery['status']) => (s === 'open' ? `AND ${col} IS NULL` : s === 'closed' ? `AND ${col} IS NOT NULL` : '');

export async function listDiscrepancies(tx: Queryable, tenantId: string, q: ListQuery): Promise<Discrepancy[]> {
  const r = await tx.query<{ id: string; warehouse_id: string; product_id: string; kind: Discrepancy['kind']; quantity: number; reference_id: string | null; created_at: unknown; resolved_at: unknown }>(
    `SELECT id, warehouse_id, product_id, kind, quantity, reference_id, created_at, resolved_at FROM discrepancies
      WHERE tenant_id = $1 AND ($2::uuid IS NULL OR warehouse_id = $2) ${statusFilter('resolved_at', q.status)}
      ORDER BY created_at DESC, id LIMIT $3`,
    [tenantId, q.warehouseId ?? null, q.limit]);
  return r.rows.map((d) => ({
    id: d.id, warehouseId: d.warehouse_id, productId: d.product_id, kind: d.kind, quantity: d.quantity,
    ...(d.reference_id ? { referenceId: d.reference_id } : {}), createdAt: iso(d.created_at), resolvedAt: isoOrNull(d.resolved_at),
  }));
}

export async function listFollowUps(tx: Queryable, tenantId: string, q: ListQuery): Promise<FollowUp[]> {
  const r = await tx.query<{ id: string; warehouse_id: string; reservation_id: string; customer: FollowUp['customer']; reason: string; created_at: unknown; closed_at: unknown }>(
    `SELECT id, warehouse_id, reservation_id, customer, reason, created_at, closed_at FROM follow_ups
      WHERE tenant_id = $1 AND ($2::uuid IS NULL OR warehouse_id = $2) ${statusFilter('closed_at', q.status)}
      ORDER BY created_at DESC, id LIMIT $3`,
    [tenantId, q.warehouseId ?? null, q.limit]);
  return r.rows.map((f) => ({
    id: f.id, warehouseId: f.warehouse_id, reservationId: f.reservation_id, customer: f.customer, reason: f.reason,
    createdAt: iso(f.created_at), closedAt: isoOrNull(f.closed_at),
  }));
}

/** Marks a discrepancy resolved (recounted) or a follow-up closed (customer called); the first closing stands. */
export async function closeRecord(tx: Queryable, tenantId: string, kind: 'discrepancy' | 'follow_up', id: string, body: CloseBody): Promise<{ id: string; closedAt: string }> {
  const sql = kind === 'discrepancy'
    ? `UPDATE discrepancies SET resolved_at = COALESCE(resolved_at, now()), resolved_by = COALESCE(resolved_by, $3) WHERE tenant_id = $1 AND id = $2 RETURNING resolved_at AS at`
    : `UPDATE follow_ups SET closed_at = COALESCE(closed_at, now()), closed_by = COALESCE(closed_by, $3) WHERE tenant_id = $1 AND id = $2 RETURNING closed_at AS at`;
  const r = await tx.query<{ at: unknown }>(sql, [tenantId, id, body.note ? `${body.by}: ${body.note}` : body.by]);
  const row = r.rows[0];
  if (!row) throw new DomainError('not_found', `no such ${kind.replace('_', '-')} in this tenant`, { id });
  return { id, closedAt: iso(row.at) };
}
