import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CreatePurchaseOrderBody, PurchaseOrdersQuery, TenantItemParams, TenantParams } from '../../src-shared/admin';
import { PurchaseOrderView } from '../../src-shared/sync';
import { cancelPurchaseOrder, createPurchaseOrder, listPurchaseOrders } from '../admin/purchase-orders';
import { inTenant } from '../admin/tenant-scope';
import type { Database } from '../db/database';
import { addRoute, type AuthHooks } from './route';

const T = '/v1/admin/tenants/:tenantId';

/* Purchase orders (admin token): placed centrally for a warehouse, received at its till. */
export function purchaseOrderRoutes(app: FastifyInstance, hooks: AuthHooks, db: Database): void {
  addRoute(app, hooks, {
    method: 'POST', url: `${T}/purchase-orders`, tag: 'admin', auth: 'admin', status: 201,
    summary: 'Create a purchase order for a warehouse (retry-safe with a client id; ref unique per tenant)',
    params: TenantParams, body: CreatePurchaseOrderBody, response: PurchaseOrderView,
    handler: async ({ params, body, reply }) => {
      const { order, created } = await inTenant(db, params.tenantId, (tx) => createPurchaseOrder(tx, params.tenantId, body));
      return reply.status(created ? 201 : 200).send(order);
    },
  });
  addRoute(app, hooks, {
    method: 'GET', url: `${T}/purchase-orders`, tag: 'admin', auth: 'admin', summary: 'Purchase orders, newest first (open by default)',
    params: TenantParams, query: PurchaseOrdersQuery, response: z.array(PurchaseOrderView),
    handler: ({ params, query }) => inTenant(db, params.tenantId, (tx) => listPurchaseOrders(tx, params.tenantId, query)),
  });
  addRoute(app, hooks, {
    method: 'POST', url: `${T}/purchase-orders/:id/cancel`, tag: 'admin', auth: 'admin', summary: 'Cancel an open purchase order',
    params: TenantItemParams, response: PurchaseOrderView,
    handler: ({ params }) => inTenant(db, params.tenantId, (tx) => cancelPurchaseOrder(tx, params.tenantId, params.id)),
  });
}
