import type { z } from 'zod';
import type { LevelsQuery, LevelView, NotificationsQuery, NotificationView } from '../../src-shared/admin';
import { DomainError } from '../../src-shared/errors';
import type { Queryable } from '../db/database';
import { iso, isoOrNull } from './tenant-scope';

/* What a back-office manager looks at: stock per warehouse (the restock list) and the notifications the outbox produced. */

export async function listLevels(tx: Queryable, tenantId: string, q: z.infer<typeof LevelsQuery>): Promise<LevelView[]> {
  const r = await tx.query<{ warehouse_id: string; product_id: string; sku: string; quantity: number; reserved: number; in_transit: number; updated_at: unknown }>(
    `SELECT l.warehouse_id, l.product_id, p.sku, l.quantity, l.reserved, l.in_transit, l.updated_at
       FROM inventory_levels l JOIN products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
      WHERE l.tenant_id = $1 AND ($2::uuid IS NULL OR l.warehouse_id = $2) AND ($3::uuid IS NULL OR l.product_id = $3)
        AND ($4::int IS NULL OR l.quantity - l.reserved <= $4)
      ORDER BY l.quantity - l.reserved, p.sku, l.warehouse_id LIMIT $5`,
    [tenantId, q.warehouseId ?? null, q.productId ?? null, q.availableAtMost ?? null, q.limit]);
  return r.rows.map((l) => ({
    warehouseId: l.warehouse_id, productId: l.product_id, sku: l.sku, quantity: l.quantity, reserved: l.reserved,
    available: l.quantity - l.reserved, inTransit: l.in_transit, updatedAt: iso(l.updated_at),
  }));
}

export async function listNotifications(tx: Queryable, tenantId: string, q: z.infer<typeof NotificationsQuery>): Promise<NotificationView[]> {
  const r = await tx.query<{ id: string | number; kind: string; warehouse_id: string | null; reference_id: string | null; body: Record<string, unknown>; created_at: unknown; read_at: unknown }>(
    `SELECT id, kind, warehouse_id, reference_id, body, created_at, read_at FROM notifications
      WHERE tenant_id = $1 ${q.unread ? 'AND read_at IS NULL' : ''} ORDER BY id DESC LIMIT $2`, [tenantId, q.limit]);
  return r.rows.map((n) => ({
    id: Number(n.id), kind: n.kind, warehouseId: n.warehouse_id, referenceId: n.reference_id, body: n.body,
    createdAt: iso(n.created_at), readAt: isoOrNull(n.read_at),
  }));
}

export async function markNotificationRead(tx: Queryable, tenantId: string, id: number): Promise<{ id: number; readAt: string }> {
  const r = await tx.query<{ read_at: unknown }>(
    'UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING read_at', [tenantId, id]);
  const row = r.rows[0];
  if (!row) throw new DomainError('not_found', 'no such notification in this tenant', { id });
  return { id, readAt: iso(row.read_at) };
}
