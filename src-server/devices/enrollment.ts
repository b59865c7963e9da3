import { randomInt } from 'node:crypto';
import { DomainError } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import type { EnrollResponse } from '../../src-shared/sync';
import type { Database, Queryable } from '../db/database';
import { hashToken, mintDeviceToken } from './tokens';

/*
 * Enrolling a branch terminal. A manager asks central for a code bound to one
 * warehouse; someone types it on the new terminal within 15 minutes; central
 * answers with a device token for that warehouse. Codes are single use and
 * stored hashed.
 *
 * The terminal knows only the code, not its tenant, and every tenant table is
 * under row-level security. The tenant is found by `bp_enrollment_tenant`, a
 * SECURITY DEFINER SQL function owned by the schema owner: it maps the hash of
 * a live code to its tenant id and nothing else, so the application role can
 * neither list codes nor read another tenant's rows. Everything after that
 * (consuming the code, creating the device) runs in an ordinary tenant
 * transaction under RLS.
 */

export const MAX_CODE_TTL_MINUTES = 15;
// Crockford's base32: no I, L, O or U, so a code read aloud or off a screen is not mistyped.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_CHARS = 12; // 60 bits

export function newEnrollmentCode(): string {
  let s = '';
  for (let i = 0; i < CODE_CHARS; i += 1) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`;
}

/** The form that is hashed: case, spaces and dashes ignored, look-alike letters folded. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function hashCode(code: string): string {
  return hashToken(`enroll:${normalizeCode(code)}`);
}

export interface CreatedCode {
  id: string;
  code: string;
  warehouseId: string;
  expiresAt: string;
}

/** Creates a code inside the caller's tenant transaction; the warehouse must belong to that tenant. */
export async function createEnrollmentCode(tx: Queryable, tenantId: string, warehouseId: string, ttlMinutes: number): Promise<CreatedCode> {
  const wh = await tx.query<{ active: boolean }>('SELECT active FROM warehouses WHERE tenant_id = $1 AND id = $2', [tenantId, warehouseId]);
  if (!wh.rows[0]) throw new DomainError('unknown_warehouse', 'no such warehouse in this tenant', { warehouseId });
  if (!wh.rows[0].active) throw new DomainError('invalid_state', 'the warehouse is deactivated: reactivate it before enrolling terminals there', { warehouseId });
  const code = newEnrollmentCode();
  const id = uuidv7();
  const ttl = Math.min(Math.max(1, ttlMinutes), MAX_CODE_TTL_MINUTES);
  const { rows } = await tx.query<{ expires_at: Date | string }>(
    `INSERT INTO enrollment_codes (tenant_id, id, warehouse_id, code_hash, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5)) RETURNING expires_at`,
    [tenantId, id, warehouseId, hashCode(code), ttl]);
  return { id, code, warehouseId, expiresAt: new Date(rows[0]?.expires_at ?? Date.now()).toISOString() };
}

export interface PendingCode {
  id: string;
  warehouseId: string;
  createdAt: string;
  expiresAt: string;
}

/** Codes still usable (the codes themselves are not kept, only their hashes). */
export async function listPendingCodes(tx: Queryable, tenantId: string): Promise<PendingCode[]> {
  const r = await tx.query<{ id: string; warehouse_id: string; created_at: Date | string; expires_at: Date | string }>(
    `SELECT id, warehouse_id, created_at, expires_at FROM enrollment_codes
      WHERE tenant_id = $1 AND used_at IS NULL AND expires_at > now() ORDER BY created_at`, [tenantId]);
  return r.rows.map((c) => ({ id: c.id, warehouseId: c.warehouse_id, createdAt: new Date(c.created_at).toISOString(), expiresAt: new Date(c.expires_at).toISOString() }));
}

/** Withdraws a code before it is used (shown to the wrong person, typed nowhere): it expires now. */
export async function cancelCode(tx: Queryable, tenantId: string, id: string): Promise<{ id: string }> {
  const r = await tx.query(
    `UPDATE enrollment_codes SET expires_at = least(expires_at, now()) WHERE tenant_id = $1 AND id = $2 AND used_at IS NULL`, [tenantId, id]);
  if (r.rowCount === 0) throw new DomainError('not_found', 'no unused enrollment code with this id in this tenant', { id });
  return { id };
}

const badCode = () => new DomainError('unauthorized', 'unknown, used or expired enrollment code');

/** Consumes a code and creates the device; refuses (401) a code that is unknown, used or expired. */
export async function enrollDevice(db: Database, code: string, deviceName: string): Promise<EnrollResponse> {
  const codeHash = hashCode(code);
  const found = await db.withoutTenant((tx) =>
    tx.query<{ tenant_id: string | null }>('SELECT bp_enrollment_tenant($1) AS tenant_id', [codeHash]));
  const tenantId = found.rows[0]?.tenant_id;
  if (!tenantId) throw badCode();
  const deviceId = uuidv7();
  const token = mintDeviceToken(tenantId, deviceId);
  return db.withTenant(tenantId, async (tx) => {
    // The conditional UPDATE is the single-use check: of two terminals racing
    // with one code, the second re-reads the row after the first commits and
    // finds it used.
    const used = await tx.query<{ warehouse_id: string }>(
      `UPDATE enrollment_codes SET used_at = now(), device_id = $3
       WHERE tenant_id = $1 AND code_hash = $2 AND used_at IS NULL AND expires_at > now()
       RETURNING warehouse_id`, [tenantId, codeHash, deviceId]);
    const warehouseId = used.rows[0]?.warehouse_id;
    if (!warehouseId) throw badCode();
    await tx.query('INSERT INTO devices (tenant_id, id, warehouse_id, name, token_hash) VALUES ($1, $2, $3, $4, $5)',
      [tenantId, deviceId, warehouseId, deviceName, hashToken(token)]);
    return { deviceId, token, tenantId, warehouseId };
  });
}

/** Revokes a device at once: its next request is refused. Idempotent; the first revocation time is kept. */
export async function revokeDevice(tx: Queryable, tenantId: string, deviceId: string): Promise<{ revokedAt: string }> {
  const { rows } = await tx.query<{ revoked_at: Date | string }>(
    `UPDATE devices SET revoked_at = COALESCE(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING revoked_at`,
    [tenantId, deviceId]);
  const at = rows[0]?.revoked_at;
  if (at === undefined) throw new DomainError('not_found', 'no such device in this tenant', { deviceId });
  return { revokedAt: new Date(at).toISOString() };
}
