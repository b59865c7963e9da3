import { DomainError } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import type { CreateTenantBody, CreateWarehouseBody, Tenant, UpdateWarehouseBody } from '../../src-shared/admin';
import type { Warehouse } from '../../src-shared/sync';
import type { Database, Queryable } from '../db/database';
import { iso, isUniqueViolation } from './tenant-scope';

/*
 * Tenants and their warehouses (stores and warehouses). A tenant is created
 * in its own tenant transaction: the tenants policy admits only the row whose
 * id is the transaction's tenant, so even creation goes through RLS.
 */

interface TenantRow { id: string; name: string; created_at: unknown }
const toTenant = (r: TenantRow): Tenant => ({ id: r.id, name: r.name, createdAt: iso(r.created_at) });

/** Creates a tenant; replaying the same id and name answers the existing tenant (safe to retry). */
export async function createTenant(db: Database, body: CreateTenantBody): Promise<{ tenant: Tenant; created: boolean }> {
  const id = body.id ?? uuidv7();
  return db.withTenant(id, async (tx) => {
    const ins = await tx.query<TenantRow>(
      'INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id, name, created_at', [id, body.name]);
    if (ins.rows[0]) return { tenant: toTenant(ins.rows[0]), created: true };
    const existing = (await tx.query<TenantRow>('SELECT id, name, created_at FROM tenants WHERE id = $1', [id])).rows[0];
    if (!existing || existing.name !== body.name) throw new DomainError('invalid_state', 'a tenant with this id already exists with another name', { tenantId: id });
    return { tenant: toTenant(existing), created: false };
  });
}

export async function getTenant(tx: Queryable, tenantId: string): Promise<Tenant> {
  const r = (await tx.query<TenantRow>('SELECT id, name, created_at FROM tenants WHERE id = $1', [tenantId])).rows[0];
  if (!r) throw new DomainError('not_found', 'no such tenant', { tenantId });
  return toTenant(r);
}

/**
 * Every tenant. The ids come from bp_tenant_ids (SECURITY DEFINER: listing
 * across tenants is what RLS otherwise forbids); each row is then read in its
 * own tenant transaction, so the lookup function reveals ids only.
 */
export async function listTenants(db: Database): Promise<Tenant[]> {
  const ids = await db.withoutTenant((tx) => tx.query<{ id: string }>('SELECT bp_tenant_ids() AS id'));
  const out: Tenant[] = [];
  for (const { id } of ids.rows) out.push(await db.withTenant(id, (tx) => getTenant(tx, id)));
  return out;
}

interface WarehouseRow { id: string; code: string; name: string; kind: 'store' | 'warehouse'; timezone: string; active: boolean }
export type WarehouseWithStatus = Warehouse & { active: boolean };
const toWarehouse = (r: WarehouseRow): WarehouseWithStatus =>
  ({ id: r.id, code: r.code, name: r.name, kind: r.kind, timezone: r.timezone, active: r.active });
const WH_COLS = 'id, code, name, kind, timezone, active';

export async function createWarehouse(tx: Queryable, tenantId: string, body: CreateWarehouseBody): Promise<WarehouseWithStatus> {
  try {
    const r = await tx.query<WarehouseRow>(
      `INSERT INTO warehouses (tenant_id, id, code, name, kind, timezone) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${WH_COLS}`,
      [tenantId, body.id ?? uuidv7(), body.code, body.name, body.kind, body.timezone]);
    return toWarehouse(r.rows[0] as WarehouseRow);
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('invalid_state', 'a warehouse with this code or id already exists', { code: body.code });
    throw e;
  }
}

export async function updateWarehouse(tx: Queryable, tenantId: string, id: string, body: UpdateWarehouseBody): Promise<WarehouseWithStatus> {
  const r = await tx.query<WarehouseRow>(
    `UPDATE warehouses SET name = COALESCE($3, name), kind = COALESCE($4, kind), timezone = COALESCE($5, timezone), active = COALESCE($6, active)
      WHERE tenant_id = $1 AND id = $2 RETURNING ${WH_COLS}`,
    [tenantId, id, body.name ?? null, body.kind ?? null, body.timezone ?? null, body.active ?? null]);
  const row = r.rows[0];
  if (!row) throw new DomainError('unknown_warehouse', 'no such warehouse in this tenant', { warehouseId: id });
  return toWarehouse(row);
}

export async function listWarehouses(tx: Queryable, tenantId: string): Promise<WarehouseWithStatus[]> {
  const r = await tx.query<WarehouseRow>(`SELECT ${WH_COLS} FROM warehouses WHERE tenant_id = $1 ORDER BY code`, [tenantId]);
  return r.rows.map(toWarehouse);
}
