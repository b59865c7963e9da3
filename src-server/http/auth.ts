import type { FastifyRequest } from 'fastify';
import { DomainError, isDomainError } from '../../src-shared/errors';
import type { Database } from '../db/database';
import { hashToken, parseDeviceToken, sameHash } from '../devices/tokens';

/*
 * Who is calling. The admin token guards administration; a device token
 * guards sync and binds the caller to one tenant and one warehouse. Device
 * tokens are checked against the database on every request: a revocation
 * takes effect on the next request, with no cache to outlive it.
 */

/** The caller of a sync route: all from the token, never from the body (same shape as the sync core's DeviceContext). */
export interface DeviceContext {
  tenantId: string;
  warehouseId: string;
  deviceId: string;
}

const devices = new WeakMap<FastifyRequest, DeviceContext>();

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1] ?? null;
}

const refused = () => new DomainError('unauthorized', 'missing, unknown or revoked token');

/** The device context that the device hook attached to this request. */
export function deviceOf(req: FastifyRequest): DeviceContext {
  const d = devices.get(req);
  if (!d) throw refused();
  return d;
}

interface DeviceRow {
  warehouse_id: string;
  token_hash: string;
  revoked_at: unknown;
  stale: boolean;
}

/**
 * Resolves a device token to its context, or null (unknown device, wrong
 * secret, revoked). Also records when the device was last heard from (the
 * admin's "is the Hamra till syncing?"), at most once a minute, so a busy
 * till adds no write to most requests.
 */
export async function authenticateDevice(db: Database, token: string): Promise<DeviceContext | null> {
  const parsed = parseDeviceToken(token);
  if (!parsed) return null;
  return db.withTenant(parsed.tenantId, async (tx) => {
    const { rows } = await tx.query<DeviceRow>(
      `SELECT warehouse_id, token_hash, revoked_at, (last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute') AS stale
         FROM devices WHERE tenant_id = $1 AND id = $2`, [parsed.tenantId, parsed.deviceId]);
    const row = rows[0];
    // Compare even when the row is missing, so timing does not reveal which device ids exist.
    const ok = sameHash(hashToken(parsed.token), row?.token_hash ?? '0'.repeat(64));
    if (!row || !ok || row.revoked_at !== null) return null;
    if (row.stale) await tx.query('UPDATE devices SET last_seen_at = now() WHERE tenant_id = $1 AND id = $2', [parsed.tenantId, parsed.deviceId]);
    return { tenantId: parsed.tenantId, warehouseId: row.warehouse_id, deviceId: parsed.deviceId };
  });
}

/** The token could not be checked because the database failed: the caller should retry, not re-enroll. */
function unavailable(e: unknown): DomainError {
  return Object.assign(new DomainError('unavailable', 'cannot check the token now; retry later'), { cause: e });
}

export function deviceHook(db: Database): (req: FastifyRequest) => Promise<void> {
  return async (req) => {
    const token = bearer(req);
    let device: DeviceContext | null = null;
    try {
      device = token ? await authenticateDevice(db, token) : null;
    } catch (e) {
      req.log.error({ err: e }, 'device token check failed');
      throw isDomainError(e) ? e : unavailable(e);
    }
    if (!device) throw refused();
    devices.set(req, device);
    // Every later log line of this request names the till, so an operator can follow one device.
    req.log = req.log.child({ tenantId: device.tenantId, warehouseId: device.warehouseId, deviceId: device.deviceId });
  };
}

/** Checks the admin bearer token against the expected SHA-256 (read lazily: it may be created after the app). */
export function adminHook(expectedHash: () => Promise<string | null>): (req: FastifyRequest) => Promise<void> {
  return async (req) => {
    const token = bearer(req);
    let expected: string | null = null;
    try {
      expected = token ? await expectedHash() : null;
    } catch (e) {
      req.log.error({ err: e }, 'admin token check failed');
      throw unavailable(e);
    }
    if (!token || !expected || !sameHash(hashToken(token), expected)) throw refused();
  };
}
