import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ImportQuery, ImportReport, InventorySummaryQuery, InventorySummaryRow, LevelsQuery, LevelView, NotificationsQuery, NotificationView, TenantParams, UpsertProductsBody,
} from '../../src-shared/admin';
import { DomainError } from '../../src-shared/errors';
import { Product } from '../../src-shared/primitives';
import { importCatalog } from '../admin/catalog-import';
import { applyProducts, checkProducts, listProducts, ProductListQuery } from '../admin/products';
import { listLevels, listNotifications, markNotificationRead } from '../admin/stock';
import { inTenant } from '../admin/tenant-scope';
import type { Database } from '../db/database';
import { readInventorySummaryJson } from '../reports/summary';
import { CentralTransferInput, moveStock } from '../transfers/central';
import { CSV_COLUMNS } from '../admin/product-csv';
import { addRoute, type AuthHooks } from './route';

const T = '/v1/admin/tenants/:tenantId';

const UpsertResult = z.object({
  inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int(),
  products: z.array(z.object({ id: z.uuid(), sku: z.string() })),
});

/* The catalog and its stock: products (upsert, CSV import, list), the inventory summary, central stock moves. */
export function stockRoutes(app: FastifyInstance, hooks: AuthHooks, db: Database): void {
  addRoute(app, hooks, {
    method: 'PUT', url: `${T}/products`, tag: 'catalog', auth: 'admin',
    summary: 'Bulk upsert by SKU (all or nothing: any bad item and nothing is written)',
    params: TenantParams, body: UpsertProductsBody, response: UpsertResult,
    handler: ({ params, body }) => inTenant(db, params.tenantId, async (tx) => {
      const problems = await checkProducts(tx, params.tenantId, body.products);
      if (problems.length > 0) {
        const first = problems[0];
        throw new DomainError('validation', `${problems.length} product(s) refused; nothing written (first: item ${first?.index} ${first?.field}: ${first?.message})`,
          { issues: problems.map((p) => ({ path: `products.${p.index}.${p.field}`, message: p.message })) });
      }
      return applyProducts(tx, params.tenantId, body.products);
    }),
  });

  addRoute(app, hooks, {
    method: 'POST', url: `${T}/products/import`, tag: 'catalog', auth: 'admin',
    summary: 'Import a catalog CSV with a per-row error report (mode=all_or_nothing by default, or valid_rows)',
    params: TenantParams, query: ImportQuery, response: ImportReport,
    textBody: { mediaType: 'text/csv', description: `UTF-8 CSV with a header; columns ${CSV_COLUMNS.join(', ')}` },
    handler: ({ params, query, req }) => {
      if (typeof req.body !== 'string') throw new DomainError('validation', 'send the catalog as text/csv');
      return importCatalog(db, params.tenantId, req.body, query.mode);
    },
  });

  addRoute(app, hooks, {
    method: 'GET', url: `${T}/products`, tag: 'catalog', auth: 'admin', summary: 'Catalog page in SKU order',
    params: TenantParams, query: ProductListQuery, response: z.array(Product),
    handler: ({ params, query }) => inTenant(db, params.tenantId, (tx) => listProducts(tx, params.tenantId, query)),
  });

  addRoute(app, hooks, {
    method: 'GET', url: `${T}/inventory-summary`, tag: 'catalog', auth: 'admin',
    summary: 'Stock per product over all warehouses (quantity, reserved, available, in transit, warehouse count)',
    params: TenantParams, query: InventorySummaryQuery, response: z.array(InventorySummaryRow),
    // One round trip: bp_inventory_summary_json sets the tenant for its own
    // reads and answers null for an unknown tenant (404, never []).
    // PostgreSQL writes the JSON text; with the type set, Fastify sends a
    // string as it is, not through JSON.stringify.
    handler: async ({ params, query, reply }) => {
      const body = await readInventorySummaryJson(db, params.tenantId, {
        limit: query.limit, ...(query.productId ? { productId: query.productId } : {}), ...(query.after ? { afterProductId: query.after } : {}),
      });
      if (body === null) throw new DomainError('not_found', 'no such tenant', { tenantId: params.tenantId });
      void reply.type('application/json; charset=utf-8');
      return body;
    },
  });

  addRoute(app, hooks, {
    method: 'POST', url: `${T}/transfers`, tag: 'catalog', auth: 'admin', status: 201,
    summary: 'Move stock between two warehouses of the tenant at once (debit and credit in one transaction)',
    params: TenantParams, body: CentralTransferInput,
    response: z.object({ transferId: z.uuid(), lines: z.array(z.object({ productId: z.uuid(), quantity: z.number().int() })) }),
    handler: ({ params, body }) => moveStock(db, params.tenantId, body),
  });

  addRoute(app, hooks, {
    method: 'GET', url: `${T}/levels`, tag: 'catalog', auth: 'admin',
    summary: 'Stock per warehouse and product, least available first (availableAtMost= gives the restock list)',
    params: TenantParams, query: LevelsQuery, response: z.array(LevelView),
    handler: ({ params, query }) => inTenant(db, params.tenantId, (tx) => listLevels(tx, params.tenantId, query)),
  });

  addRoute(app, hooks, {
    method: 'GET', url: `${T}/notifications`, tag: 'admin', auth: 'admin',
    summary: 'Back-office notifications from the outbox (follow-ups to call...), newest first',
    params: TenantParams, query: NotificationsQuery, response: z.array(NotificationView),
    handler: ({ params, query }) => inTenant(db, params.tenantId, (tx) => listNotifications(tx, params.tenantId, query)),
  });

  addRoute(app, hooks, {
    method: 'POST', url: `${T}/notifications/:id/read`, tag: 'admin', auth: 'admin', summary: 'Mark a notification read',
    params: TenantParams.extend({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
    response: z.object({ id: z.number().int(), readAt: z.string() }),
    handler: ({ params }) => inTenant(db, params.tenantId, (tx) => markNotificationRead(tx, params.tenantId, params.id)),
  });
}
