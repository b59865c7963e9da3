import { DomainError } from '../../src-shared/errors';
import type { Database, Queryable } from '../db/database';

/*
 * Every admin action on a tenant runs in that tenant's transaction, so RLS
 * hides every other tenant's rows: an id of another tenant is simply not
 * found (404) and nothing is written. The tenant itself must exist first, so
 * a mistyped tenant id is a 404 too, not a foreign-key failure.
 */
export async function inTenant<T>(db: Database, tenantId: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.withTenant(tenantId, async (tx) => {
    const t = await tx.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
    if (t.rowCount === 0) throw new DomainError('not_found', 'no such tenant', { tenantId });
    return fn(tx);
  });
}

export async function assertWarehouse(tx: Queryable, tenantId: string, warehouseId: string): Promise<void> {
  const r = await tx.query('SELECT 1 FROM warehouses WHERE tenant_id = $1 AND id = $2', [tenantId, warehouseId]);
  if (r.rowCount === 0) throw new DomainError('unknown_warehouse', 'no such warehouse in this tenant', { warehouseId });
}

/** timestamptz as ISO text, whichever driver returned it (pg gives Date, PGlite Date too; text stays text). */
export function iso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}

export function isoOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : iso(v);
}

/** PostgreSQL's unique_violation, for turning a duplicate into a clear 409 instead of a 500. */
export function isUniqueViolation(e: unknown, constraintPart?: string): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { code, constraint, message } = e as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code !== '23505') return false;
  if (!constraintPart) return true;
  return String(constraint ?? message ?? '').includes(constraintPart);
}
