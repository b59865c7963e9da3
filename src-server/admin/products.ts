import { z } from 'zod';
import type { ProductInput } from '../../src-shared/admin';
import { uuidv7 } from '../../src-shared/ids';
import type { Product } from '../../src-shared/primitives';
import type { Queryable } from '../db/database';

/*
 * The catalog, keyed by SKU. Checks that need the whole batch or the database
 * (a SKU twice in one file, a barcode already on another product, an id that
 * belongs to another SKU) run before anything is written, so they come back
 * as per-item problems instead of a constraint error halfway through.
 */

export interface ProductProblem {
  /** Index of the item in the batch. */
  index: number;
  field: string;
  message: string;
}

export async function checkProducts(tx: Queryable, tenantId: string, items: ProductInput[]): Promise<ProductProblem[]> {
  const problems: ProductProblem[] = [];
  const skuAt = new Map<string, number>();
  const barcodeAt = new Map<string, number>();
  items.forEach((p, index) => {
    const first = skuAt.get(p.sku);
    if (first !== undefined) problems.push({ index, field: 'sku', message: `SKU ${p.sku} appears twice (also item ${first})` });
    else skuAt.set(p.sku, index);
    for (const b of p.barcodes) {
      const other = barcodeAt.get(b);
      if (other !== undefined && other !== index) problems.push({ index, field: 'barcodes', message: `barcode ${b} is also on item ${other}` });
      else barcodeAt.set(b, index);
    }
  });

  const barcodes = [...barcodeAt.keys()];
  if (barcodes.length > 0) {
    // A semi-join on the unnested list (hashed), not `= ANY(array)`: with a
    // 20,000-row catalog the latter compares every pair and took 37 s.
    const owners = await tx.query<{ sku: string; barcode: string }>(
      `SELECT p.sku, b.barcode FROM products p CROSS JOIN LATERAL unnest(p.barcodes) AS b(barcode)
        WHERE p.tenant_id = $1 AND b.barcode IN (SELECT unnest($2::text[]))`,
      [tenantId, barcodes]);
    for (const o of owners.rows) {
      const index = barcodeAt.get(o.barcode);
      if (index === undefined || items[index]?.sku === o.sku) continue;
      // The owner is in this batch too and gives the barcode up: a move, allowed.
      const ownerIndex = skuAt.get(o.sku);
      if (ownerIndex !== undefined && !items[ownerIndex]?.barcodes.includes(o.barcode)) continue;
      problems.push({ index, field: 'barcodes', message: `barcode ${o.barcode} already belongs to SKU ${o.sku}` });
    }
  }

  const withIds = items.map((p, index) => ({ p, index })).filter((x) => x.p.id !== undefined);
  if (withIds.length > 0) {
    const known = await tx.query<{ id: string; sku: string }>(
      'SELECT id, sku FROM products WHERE tenant_id = $1 AND (id = ANY($2::uuid[]) OR sku = ANY($3::text[]))',
      [tenantId, withIds.map((x) => x.p.id), withIds.map((x) => x.p.sku)]);
    for (const { p, index } of withIds) {
      const clash = known.rows.find((k) => (k.id === p.id) !== (k.sku === p.sku));
      if (clash) problems.push({ index, field: 'id', message: `id and SKU disagree with the catalog (id ${clash.id} is SKU ${clash.sku})` });
    }
  }
  return problems.sort((a, b) => a.index - b.index);
}

export interface AppliedProducts {
  inserted: number;
  updated: number;
  unchanged: number;
  products: { id: string; sku: string }[];
}

/**
 * Upserts checked items in one statement. A row whose values did not change
 * is left alone, so re-importing the same catalog does not make every till
 * download it again.
 */
export async function applyProducts(tx: Queryable, tenantId: string, items: ProductInput[]): Promise<AppliedProducts> {
  if (items.length === 0) return { inserted: 0, updated: 0, unchanged: 0, products: [] };
  const rows = items.map((p) => ({
    id: p.id ?? uuidv7(), sku: p.sku, barcodes: p.barcodes, name_en: p.nameEn, name_ar: p.nameAr,
    price_minor: p.priceMinor, currency: p.currency, tax_class: p.taxClass, active: p.active,
  }));
  const r = await tx.query<{ inserted: boolean }>(
    `INSERT INTO products AS t (tenant_id, id, sku, barcodes, name_en, name_ar, price_minor, currency, tax_class, active)
     SELECT $1, x.id, x.sku, ARRAY(SELECT jsonb_array_elements_text(x.barcodes)), x.name_en, x.name_ar, x.price_minor, x.currency, x.tax_class, x.active
       FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, sku text, barcodes jsonb, name_en text, name_ar text, price_minor bigint, currency text, tax_class text, active boolean)
     ON CONFLICT (tenant_id, sku) DO UPDATE SET
       barcodes = EXCLUDED.barcodes, name_en = EXCLUDED.name_en, name_ar = EXCLUDED.name_ar, price_minor = EXCLUDED.price_minor,
       currency = EXCLUDED.currency, tax_class = EXCLUDED.tax_class, active = EXCLUDED.active, updated_at = now()
     WHERE (t.barcodes, t.name_en, t.name_ar, t.price_minor, t.currency, t.tax_class, t.active)
           IS DISTINCT FROM (EXCLUDED.barcodes, EXCLUDED.name_en, EXCLUDED.name_ar, EXCLUDED.price_minor, EXCLUDED.currency, EXCLUDED.tax_class, EXCLUDED.active)
     RETURNING (xmax = 0) AS inserted`,
    [tenantId, JSON.stringify(rows)]);
  const inserted = r.rows.filter((x) => x.inserted).length;
  const updated = r.rows.length - inserted;
  const ids = await tx.query<{ id: string; sku: string }>(
    'SELECT id, sku FROM products WHERE tenant_id = $1 AND sku = ANY($2::text[]) ORDER BY sku', [tenantId, items.map((p) => p.sku)]);
  return { inserted, updated, unchanged: items.length - inserted - updated, products: ids.rows };
}

interface ProductRow {
  id: string; sku: string; barcodes: string[]; name_en: string; name_ar: string;
  price_minor: string | number; currency: Product['currency']; tax_class: Product['taxClass']; active: boolean;
}

export const ProductListQuery = z.object({
  /** Page after this SKU (SKU order). */
  after: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export async function listProducts(tx: Queryable, tenantId: string, q: z.infer<typeof ProductListQuery>): Promise<Product[]> {
  const r = await tx.query<ProductRow>(
    `SELECT id, sku, barcodes, name_en, name_ar, price_minor, currency, tax_class, active FROM products
      WHERE tenant_id = $1 AND ($2::text IS NULL OR sku > $2) ORDER BY sku LIMIT $3`,
    [tenantId, q.after ?? null, q.limit]);
  return r.rows.map((p) => ({
    id: p.id, sku: p.sku, barcodes: p.barcodes, nameEn: p.name_en, nameAr: p.name_ar,
    priceMinor: Number(p.price_minor), currency: p.currency, taxClass: p.tax_class, active: p.active,
  }));
}
