import { expect } from 'vitest';
import type { Harness } from './harness';

/* Builds a tenant through the admin API itself, as an operator would. */

export interface AdminTenant {
  tenantId: string;
  storeId: string;
  warehouseId: string;
}

export async function adminTenant(h: Harness, name = 'Shop'): Promise<AdminTenant> {
  const t = await h.admin('POST', '/v1/admin/tenants', { name });
  expect(t.status).toBe(201);
  const tenantId = t.json.id as string;
  const s = await h.admin('POST', `/v1/admin/tenants/${tenantId}/warehouses`, { code: 'HAMRA', name: 'Hamra store', kind: 'store', timezone: 'Asia/Beirut' });
  expect(s.status).toBe(201);
  const w = await h.admin('POST', `/v1/admin/tenants/${tenantId}/warehouses`, { code: 'DEPOT', name: 'Dora depot', kind: 'warehouse' });
  expect(w.status).toBe(201);
  return { tenantId, storeId: s.json.id as string, warehouseId: w.json.id as string };
}

export async function enrollmentCode(h: Harness, tenantId: string, warehouseId: string): Promise<string> {
  const r = await h.admin('POST', `/v1/admin/tenants/${tenantId}/enrollment-codes`, { warehouseId });
  expect(r.status).toBe(201);
  return r.json.code as string;
}

export async function enroll(h: Harness, tenantId: string, warehouseId: string): Promise<{ deviceId: string; token: string }> {
  const code = await enrollmentCode(h, tenantId, warehouseId);
  const r = await h.call('POST', '/v1/devices/enroll', { body: { code, deviceName: 'Till 1' } });
  expect(r.status).toBe(201);
  return { deviceId: r.json.deviceId as string, token: r.json.token as string };
}
