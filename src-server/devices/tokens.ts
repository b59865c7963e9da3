import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Id } from '../../src-shared/primitives';

/*
 * Device tokens: `bpd.<tenantId>.<deviceId>.<secret>`, the secret 32 random
 * bytes in base64url. The tenant and device ids ride in the token so the
 * server can open the right tenant transaction before it knows anything else;
 * they grant nothing by themselves, the secret does. The database keeps only
 * the hex SHA-256 of the whole token: with 256 random bits there is nothing
 * for a slow KDF to protect against, and a fast hash keeps auth off the
 * request's critical path.
 */

const PREFIX = 'bpd';
const SECRET_BYTES = 32;
// base64url of 32 bytes without padding is 43 characters.
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface ParsedDeviceToken {
  tenantId: string;
  deviceId: string;
  token: string;
}

export function mintDeviceToken(tenantId: string, deviceId: string): string {
  return `${PREFIX}.${tenantId}.${deviceId}.${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

/** The token's parts, or null when it is not shaped like a device token (never throws on input). */
export function parseDeviceToken(token: string): ParsedDeviceToken | null {
  const parts = token.split('.');
  if (parts.length !== 4) return null;
  const [prefix, tenantId, deviceId, secret] = parts;
  if (prefix !== PREFIX || tenantId === undefined || deviceId === undefined || secret === undefined) return null;
  if (!Id.safeParse(tenantId).success || !Id.safeParse(deviceId).success || !SECRET_PATTERN.test(secret)) return null;
  return { tenantId: tenantId.toLowerCase(), deviceId: deviceId.toLowerCase(), token };
}

/** Hex SHA-256 of a high-entropy secret (device tokens, the admin token, enrollment codes). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function sameHash(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
