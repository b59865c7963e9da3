import type { BranchUser, CreateUserBody, UpdateUserBody } from '../../src-shared/admin';
import { DomainError } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import type { Queryable } from '../db/database';
import { hashPin } from './pin';
import { assertWarehouse, iso, isUniqueViolation } from './tenant-scope';

/* Users of the branch app (cashier, clerk, manager). PINs are hashed here and never stored or answered in clear. */

interface UserRow { id: string; username: string; display_name: string; role: BranchUser['role']; warehouse_id: string | null; active: boolean; created_at: unknown }
const COLS = 'id, username, display_name, role, warehouse_id, active, created_at';
const toUser = (r: UserRow): BranchUser => ({
  id: r.id, username: r.username, displayName: r.display_name, role: r.role, warehouseId: r.warehouse_id, active: r.active, createdAt: iso(r.created_at),
});

export async function createUser(tx: Queryable, tenantId: string, body: CreateUserBody): Promise<BranchUser> {
  if (body.warehouseId) await assertWarehouse(tx, tenantId, body.warehouseId);
  const pinHash = await hashPin(body.pin);
  try {
    const r = await tx.query<UserRow>(
      `INSERT INTO branch_users (tenant_id, id, username, display_name, role, warehouse_id, pin_hash) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLS}`,
      [tenantId, body.id ?? uuidv7(), body.username, body.displayName, body.role, body.warehouseId ?? null, pinHash]);
    return toUser(r.rows[0] as UserRow);
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('invalid_state', 'a user with this username or id already exists', { username: body.username });
    throw e;
  }
}

export async function updateUser(tx: Queryable, tenantId: string, id: string, body: UpdateUserBody): Promise<BranchUser> {
  if (body.warehouseId) await assertWarehouse(tx, tenantId, body.warehouseId);
  const pinHash = body.pin ? await hashPin(body.pin) : null;
  const r = await tx.query<UserRow>(
    `UPDATE branch_users SET
        display_name = COALESCE($3, display_name), role = COALESCE($4, role), pin_hash = COALESCE($5, pin_hash),
        warehouse_id = CASE WHEN $6::boolean THEN $7::uuid ELSE warehouse_id END,
        active = COALESCE($8, active), updated_at = now()
      WHERE tenant_id = $1 AND id = $2 RETURNING ${COLS}`,
    [tenantId, id, body.displayName ?? null, body.role ?? null, pinHash, body.warehouseId !== undefined, body.warehouseId ?? null, body.active ?? null]);
  const row = r.rows[0];
  if (!row) throw new DomainError('not_found', 'no such user in this tenant', { userId: id });
  return toUser(row);
}

export async function listUsers(tx: Queryable, tenantId: string): Promise<BranchUser[]> {
  const r = await tx.query<UserRow>(`SELECT ${COLS} FROM branch_users WHERE tenant_id = $1 ORDER BY username`, [tenantId]);
  return r.rows.map(toUser);
}
