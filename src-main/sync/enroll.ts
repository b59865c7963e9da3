import { DomainError } from '../../src-shared/errors';
import { createSyncClient } from './client';
import { publicEnrollment, type PublicEnrollment, type TokenVault } from './vault';

/*
 * Enrollment happens once per device: a manager types central's URL and the
 * one-time code an administrator made; central answers with the device token
 * and the ids of the tenant and warehouse this device belongs to. The token
 * goes straight into the vault; the caller gets the ids only.
 */

export interface EnrollOptions {
  serverUrl: string;
  code: string;
  deviceName: string;
  vault: TokenVault;
  fetch?: typeof fetch;
  now?: () => Date;
}

export async function enrollDevice(opts: EnrollOptions): Promise<PublicEnrollment> {
  let url: URL;
  try {
    url = new URL(opts.serverUrl);
  } catch {
    throw new DomainError('validation', `invalid server URL: ${opts.serverUrl}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DomainError('validation', 'the server URL must be http(s)');
  const existing = opts.vault.load();
  if (existing) {
    throw new DomainError('invalid_state', `this device is already enrolled (device ${existing.deviceId}); clear its enrollment first`);
  }
  opts.vault.assertWritable();
  const serverUrl = url.toString().replace(/\/+$/, '');
  const client = createSyncClient({ baseUrl: serverUrl, token: () => null, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  const r = await client.enroll(opts.code, opts.deviceName);
  if (!r.ok) {
    const f = r.failure;
    throw new DomainError(f.kind === 'transient' ? 'unavailable' : f.error.code, `enrollment failed: ${f.error.message}`);
  }
  const stored = {
    serverUrl,
    deviceId: r.value.deviceId,
    tenantId: r.value.tenantId,
    warehouseId: r.value.warehouseId,
    deviceName: opts.deviceName,
    token: r.value.token,
    enrolledAt: (opts.now?.() ?? new Date()).toISOString(),
  };
  opts.vault.save(stored);
  return publicEnrollment(stored);
}
