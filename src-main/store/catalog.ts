import { z } from 'zod';
import { CatalogProduct, OpeningStock } from '../../src-shared/branch-inputs';
import { DomainError, parseOrThrow } from '../../src-shared/errors';
import { Warehouse } from '../../src-shared/sync';
import { addStock, readLevel, recordMovement, requireProduct, type StoreContext } from './context';
import { normalizeName } from './normalize';

/*
 * Loading what central owns: the catalog, the warehouses, and a branch's
 * opening stock. Each call is one transaction (100,000 products load in one).
 * Opening stock is written as `opening` movements so levels stay the fold of
 * their movements.
 */

const MAX_BATCH = 200_000;

function isUniqueViolation(e: unknown): boolean {
  return !!e && typeof e === 'object' && 'code' in e && e.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function createCatalog(ctx: StoreContext) {
  const { db } = ctx;
  const upsertProduct = db.prepare<Record<string, string | number>>(
    `INSERT INTO products (id, tenant_id, sku, name_en, name_ar, name_en_norm, name_ar_norm, price_minor, currency, tax_class, active, reorder_level, updated_at)
     VALUES (@id, @t, @sku, @nameEn, @nameAr, @nameEnNorm, @nameArNorm, @price, @currency, @taxClass, @active, @reorder, @at)
     ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, name_en = excluded.name_en, name_ar = excluded.name_ar,
       name_en_norm = excluded.name_en_norm, name_ar_norm = excluded.name_ar_norm, price_minor = excluded.price_minor,
       currency = excluded.currency, tax_class = excluded.tax_class, active = excluded.active,
       reorder_level = excluded.reorder_level, updated_at = excluded.updated_at`);
  const dropBarcodes = db.prepare<[string]>('DELETE FROM product_barcodes WHERE product_id = ?');
  // Central's catalog is the authority: a barcode it moved to another product moves here too.
  const putBarcode = db.prepare<[string, string]>(
    'INSERT INTO product_barcodes (barcode, product_id) VALUES (?, ?) ON CONFLICT (barcode) DO UPDATE SET product_id = excluded.product_id');
  const upsertWarehouse = db.prepare<Record<string, string>>(
    `INSERT INTO warehouses (id, tenant_id, code, name, kind, timezone, updated_at) VALUES (@id, @t, @code, @name, @kind, @timezone, @at)
     ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, kind = excluded.kind, timezone = excluded.timezone, updated_at = excluded.updated_at`);

  return {
    upsertProducts(raw: unknown): number {
      const products = parseOrThrow(z.array(CatalogProduct).max(MAX_BATCH), raw, 'products');
      const at = ctx.now();
      try {
        return ctx.tx(() => {
          for (const p of products) {
            upsertProduct.run({
              id: p.id, t: ctx.tenantId, sku: p.sku, nameEn: p.nameEn, nameAr: p.nameAr, nameEnNorm: normalizeName(p.nameEn),
              nameArNorm: normalizeName(p.nameAr), price: p.priceMinor, currency: p.currency, taxClass: p.taxClass,
              active: p.active ? 1 : 0, reorder: p.reorderLevel, at,
            });
            dropBarcodes.run(p.id);
            for (const b of p.barcodes) putBarcode.run(b, p.id);
          }
          return products.length;
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw new DomainError('validation', 'invalid products: a SKU belongs to two different products', { cause: String(e) });
        throw e;
      }
    },

    upsertWarehouses(raw: unknown): number {
      const warehouses = parseOrThrow(z.array(Warehouse).max(10_000), raw, 'warehouses');
      const at = ctx.now();
      return ctx.tx(() => {
        for (const w of warehouses) upsertWarehouse.run({ id: w.id, t: ctx.tenantId, code: w.code, name: w.name, kind: w.kind, timezone: w.timezone, at });
        return warehouses.length;
      });
    },

    /** Sets this branch's quantity of each product, recording the difference as an `opening` movement. */
    setOpeningStock(raw: unknown): number {
      const lines = parseOrThrow(z.array(OpeningStock).max(MAX_BATCH), raw, 'opening stock');
      const at = ctx.now();
      return ctx.tx(() => {
        for (const l of lines) {
          requireProduct(ctx, l.productId);
          const delta = l.quantity - readLevel(ctx, l.productId).quantity;
          if (delta === 0) continue;
          addStock(ctx, l.productId, delta, at);
          recordMovement(ctx, l.productId, 'opening', delta, 0, null, null, at);
        }
        return lines.length;
      });
    },
  };
}
