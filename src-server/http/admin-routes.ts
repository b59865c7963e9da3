import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  BranchUser, CloseBody, CreateEnrollmentCodeBody, CreateTenantBody, CreateUserBody, CreateWarehouseBody, DeviceView,
  EnrollmentCode, ExchangeRateBody, ListQuery, Tenant, TenantItemParams, TenantParams, UpdateUserBody, UpdateWarehouseBody,
} from '../../src-shared/admin';
import { Discrepancy, ExchangeRate, FollowUp, Warehouse } from '../../src-shared/sync';
import { addExchangeRate, closeRecord, listDevices, listDiscrepancies, listExchangeRates, listFollowUps } from '../admin/records';
import { inTenant } from '../admin/tenant-scope';
import { createTenant, createWarehouse, getTenant, listTenants, listWarehouses, updateWarehouse } from '../admin/tenants';
import { createUser, listUsers, updateUser } from '../admin/users';
import type { Database } from '../db/database';
import { cancelCode, createEnrollmentCode, listPendingCodes, revokeDevice } from '../devices/enrollment';
import { stockRoutes } from './admin-stock-routes';
import { addRoute, type AuthHooks } from './route';

/*
 * Administration (admin token). Every route under /v1/admin/tenants/:tenantId
 * runs in that tenant's transaction: ids of another tenant are not found (404)
 * and nothing is written.
 */

const WarehouseOut = Warehouse.extend({ active: z.boolean() });
const T = '/v1/admin/tenants/:tenantId';

export function adminRoutes(app: FastifyInstance, hooks: AuthHooks, db: Database): void {
  const route = <B extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, P extends z.ZodType = z.ZodUnknown>(
    def: Omit<Parameters<typeof addRoute<B, Q, P>>[2], 'auth'>,
  ) => addRoute<B, Q, P>(app, hooks, { ...def, auth: 'admin' });

  route({
    method: 'POST', url: '/v1/admin/tenants', tag: 'admin', status: 201, summary: 'Create a tenant (retry-safe with a client id)',
    body: CreateTenantBody, response: Tenant,
    handler: async ({ body, reply }) => {
      const { tenant, created } = await createTenant(db, body);
      if (!created) reply.status(200);
      return reply.status(created ? 201 : 200).send(tenant);
    },
  });
  route({ method: 'GET', url: '/v1/admin/tenants', tag: 'admin', summary: 'List tenants', response: z.array(Tenant), handler: () => listTenants(db) });
  route({
    method: 'GET', url: T, tag: 'admin', summary: 'One tenant', params: TenantParams, response: Tenant,
    handler: ({ params }) => db.withTenant(params.tenantId, (tx) => getTenant(tx, params.tenantId)),
  });

  route({
    method: 'POST', url: `${T}/warehouses`, tag: 'admin', status: 201, summary: 'Create a store or warehouse',
    params: TenantParams, body: CreateWarehouseBody, response: WarehouseOut,
    handler: ({ params, body }) => inTenant(db, params.tenantId, (tx) => createWarehouse(tx, params.tenantId, body)),
  });
  route({
    method: 'GET', url: `${T}/warehouses`, tag: 'admin', summary: 'List stores and warehouses', params: TenantParams, response: z.array(WarehouseOut),
    handler: ({ params }) => inTenant(db, params.tenantId, (tx) => listWarehouses(tx, params.tenantId)),
  });
  route({
    method: 'PATCH', url: `${T}/warehouses/:id`, tag: 'admin', summary: 'Rename, retype, change time zone or deactivate',
    params: TenantItemParams, body: UpdateWarehouseBody, response: WarehouseOut,
    handler: ({ params, body }) => inTenant(db, params.tenantId, (tx) => updateWarehouse(tx, params.tenantId, params.id, body)),
  });

  stockRoutes(app, hooks, db);

  route({
    method: 'POST', url: `${T}/users`, tag: 'admin', status: 201, summary: 'Create a branch-app user with a role and PIN',
    params: TenantParams, body: CreateUserBody, response: BranchUser,
    handler: ({ params, body }) => inTenant(db, params.tenantId, (tx) => createUser(tx, params.tenantId, body)),
  });
  route({
    method: 'GET', url: `${T}/users`, tag: 'admin', summary: 'List branch-app users', params: TenantParams, response: z.array(BranchUser),
    handler: ({ params }) => inTenant(db, params.tenantId, (tx) => listUsers(tx, params.tenantId)),
  });
  route({
    method: 'PATCH', url: `${T}/users/:id`, tag: 'admin', summary: 'Change a user: role, PIN, warehouse, active',
    params: TenantItemParams, body: UpdateUserBody, response: BranchUser,
    handler: ({ params, body }) => inTenant(db, params.tenantId, (tx) => updateUser(tx, params.tenantId, params.id, body)),
  });

  route({
    method: 'POST', url: `${T}/enrollment-codes`, tag: 'devices', status: 201,
    summary: 'A single-use code (at most 15 minutes) to enroll a terminal at a warehouse; shown once',
    params: TenantParams, body: CreateEnrollmentCodeBody, response: EnrollmentCode,
    handler: ({ params, body }) => inTenant(db, params.tenantId, (tx) => createEnrollmentCode(tx, params.tenantId, body.warehouseId, body.ttlMinutes)),
  });
  route({
    method: 'GET', url: `${T}/enrollment-codes`, tag: 'devices', summary: 'Codes not yet used nor expired (the codes themselves are not kept)',
    params: TenantParams, response: z.array(z.object({ id: z.uuid(), warehouseId: z.uuid(), createdAt: z.string(), expiresAt: z.string() })),
    handler: ({ params }) => inTenant(db, params.tenantId, (tx) => listPendingCodes(tx, params.tenantId)),
  });
  route({
    method: 'DELETE', url: `${T}/enrollment-codes/:id`, tag: 'devices', summary: 'Withdraw an unused code',
    params: TenantItemParams, response: z.object({ id: z.uuid() }),
    handler: ({ params }) => inTenant(db, params.tenantId, (tx) => cancelCode(tx, params.tenantId, params.id)),
  });
  route({
    method: 'GET', url: `${T}/devices`, tag: 'devices', summary: 'List enrolled devices', params: TenantParams, response: z.array(DeviceView),
    handler: ({ params }) => inTenant(db, params.tenantId, (tx) => listDevices(tx, params.tenantId)),
  });
  route({
    method: 'POST', url: `${T}/devices/:id/revoke`, tag: 'devices', summary: 'Revoke a device: its next request is refused',
    params: TenantItemParams, response: z.object({ revokedAt: z.string() }),
    handler: ({ params }) => inTenant(db, params.tenantId, (tx) => revokeDevice(tx, params.tenantId, params.id)),
  });

  route({
    method: 'POST', url: `${T}/exchange-rates`, tag: 'admin', status: 201, summary: 'Set the LBP per USD rate (from now or a given time)',
    params: TenantParams, body: ExchangeRateBody, response: ExchangeRate,
    handler: ({ params, body }) => inTenant(db, params.tenantId, (tx) => addExchangeRate(tx, params.tenantId, body)),
  });
  route({
    method: 'GET', url: `${T}/exchange-rates`, tag: 'admin', summary: 'Exchange rates, newest first', params: TenantParams, response: z.array(ExchangeRate),
    handler: ({ params }) => inTenant(db, params.tenantId, (tx) => listExchangeRates(tx, params.tenantId)),
  });

  route({
    method: 'GET', url: `${T}/discrepancies`, tag: 'admin', summary: 'Discrepancies (negative stock, short or over receipts)',
    params: TenantParams, query: ListQuery, response: z.array(Discrepancy),
    handler: ({ params, query }) => inTenant(db, params.tenantId, (tx) => listDiscrepancies(tx, params.tenantId, query)),
  });
  route({
    method: 'POST', url: `${T}/discrepancies/:id/resolve`, tag: 'admin', summary: 'Mark a discrepancy resolved',
    params: TenantItemParams, body: CloseBody, response: z.object({ id: z.uuid(), closedAt: z.string() }),
    handler: ({ params, body }) => inTenant(db, params.tenantId, (tx) => closeRecord(tx, params.tenantId, 'discrepancy', params.id, body)),
  });
  route({
    method: 'GET', url: `${T}/follow-ups`, tag: 'admin', summary: 'Follow-ups: refused reservations, customers to call',
    params: TenantParams, query: ListQuery, response: z.array(FollowUp),
    handler: ({ params, query }) => inTenant(db, params.tenantId, (tx) => listFollowUps(tx, params.tenantId, query)),
  });
  route({
    method: 'POST', url: `${T}/follow-ups/:id/close`, tag: 'admin', summary: 'Close a follow-up (customer called)',
    params: TenantItemParams, body: CloseBody, response: z.object({ id: z.uuid(), closedAt: z.string() }),
    handler: ({ params, body }) => inTenant(db, params.tenantId, (tx) => closeRecord(tx, params.tenantId, 'follow_up', params.id, body)),
  });
}
