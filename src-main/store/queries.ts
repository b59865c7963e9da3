import { z } from 'zod';
import {
  LookupParams, LowStockParams, MovementHistoryParams, SearchProductsParams, StockListParams,
  type DiscrepancyRow, type InventorySummary, type MovementRow, type ProductLookupRow, type StockPage, type StockRow,
} from '../../src-shared/branch-inputs';
import { parseOrThrow } from '../../src-shared/errors';
import { TAX_RATE_BP, type Currency, type TaxClass } from '../../src-shared/primitives';
import { requireProduct, type StoreContext } from './context';
import { normalizeName, prefixUpperBound } from './normalize';

/*
 * Read-only views of this branch's stock. The till's hot paths (lookup by
 * barcode or SKU, name search) are single prepared statements on indexes.
 */

const inTransit = (direction: 'in' | 'out') => `(SELECT coalesce(sum(max(coalesce(tl.dispatched, 0) - coalesce(tl.received, 0), 0)), 0)
    FROM transfer_lines tl JOIN transfers t ON t.id = tl.transfer_id
    WHERE tl.product_id = p.id AND t.direction = '${direction}' AND t.status != 'received')`;

const STOCK_COLUMNS = `p.id, p.sku, p.name_en, p.name_ar, coalesce(l.quantity, 0) AS quantity, coalesce(l.reserved, 0) AS reserved,
  p.reorder_level, ${inTransit('in')} AS in_transit_in, ${inTransit('out')} AS in_transit_out`;
const LEVEL_JOIN = 'LEFT JOIN inventory_levels l ON l.tenant_id = @t AND l.warehouse_id = @w AND l.product_id = p.id';
const LOOKUP_COLUMNS = `p.id, p.sku, p.name_en, p.name_ar, p.price_minor, p.currency, p.tax_class, p.active,
  coalesce(l.quantity, 0) AS quantity, coalesce(l.reserved, 0) AS reserved`;

export const QUERY_SQL = {
  lookup: `SELECT ${LOOKUP_COLUMNS} FROM products p ${LEVEL_JOIN}
    WHERE p.id = coalesce((SELECT product_id FROM product_barcodes WHERE barcode = @code), (SELECT id FROM products WHERE sku = @code))`,
  searchEn: `SELECT ${LOOKUP_COLUMNS} FROM products p ${LEVEL_JOIN}
    WHERE p.name_en_norm >= @lo AND p.name_en_norm < @hi AND p.active = 1 ORDER BY p.name_en_norm LIMIT @limit`,
  searchAr: `SELECT ${LOOKUP_COLUMNS} FROM products p ${LEVEL_JOIN}
    WHERE p.name_ar_norm >= @lo AND p.name_ar_norm < @hi AND p.active = 1 ORDER BY p.name_ar_norm LIMIT @limit`,
} as const;

interface StockSqlRow { id: string; sku: string; name_en: string; name_ar: string; quantity: number; reserved: number; reorder_level: number; in_transit_in: number; in_transit_out: number }
interface LookupSqlRow { id: string; sku: string; name_en: string; name_ar: string; price_minor: number; currency: Currency; tax_class: TaxClass; active: number; quantity: number; reserved: number }
interface Scope { t: string; w: string }

const toStockRow = (r: StockSqlRow): StockRow => ({
  productId: r.id, sku: r.sku, nameEn: r.name_en, nameAr: r.name_ar, quantity: r.quantity, reserved: r.reserved,
  available: r.quantity - r.reserved, inTransitIn: r.in_transit_in, inTransitOut: r.in_transit_out, reorderLevel: r.reorder_level,
});

const toLookupRow = (r: LookupSqlRow): ProductLookupRow => ({
  productId: r.id, sku: r.sku, nameEn: r.name_en, nameAr: r.name_ar, priceMinor: r.price_minor, currency: r.currency,
  taxClass: r.tax_class, taxRateBp: TAX_RATE_BP[r.tax_class], active: r.active === 1,
  quantity: r.quantity, reserved: r.reserved, available: r.quantity - r.reserved,
});

export function createQueries(ctx: StoreContext) {
  const { db } = ctx;
  const scope: Scope = { t: ctx.tenantId, w: ctx.warehouseId };
  const stockList = db.prepare<Scope & { after: string; inactive: number; limit: number }, StockSqlRow>(
    `SELECT ${STOCK_COLUMNS} FROM products p ${LEVEL_JOIN}
     WHERE p.sku > @after AND (@inactive = 1 OR p.active = 1) ORDER BY p.sku LIMIT @limit`);
  // A search runs one of two plans. Few matches: gather them from the three index
  // ranges (SKU, English, Arabic name), then sort. Many (a first letter typed):
  // walk the SKU order filtering, which finds a page of dense matches at once.
  type SearchArgs = Scope & { after: string; inactive: number; lo: string; hi: string; rawLo: string; rawHi: string; limit: number };
  const stockSearchFew = db.prepare<SearchArgs, StockSqlRow>(
    `SELECT ${STOCK_COLUMNS} FROM products p ${LEVEL_JOIN}
     WHERE p.id IN (
         SELECT id FROM products WHERE sku >= @rawLo AND sku < @rawHi
         UNION SELECT id FROM products WHERE name_en_norm >= @lo AND name_en_norm < @hi
         UNION SELECT id FROM products WHERE name_ar_norm >= @lo AND name_ar_norm < @hi)
       AND p.sku > @after AND (@inactive = 1 OR p.active = 1)
     ORDER BY p.sku LIMIT @limit`);
  const stockSearchMany = db.prepare<SearchArgs, StockSqlRow>(
    `SELECT ${STOCK_COLUMNS} FROM products p ${LEVEL_JOIN}
     WHERE p.sku > @after AND (@inactive = 1 OR p.active = 1)
       AND ((p.sku >= @rawLo AND p.sku < @rawHi) OR (p.name_en_norm >= @lo AND p.name_en_norm < @hi) OR (p.name_ar_norm >= @lo AND p.name_ar_norm < @hi))
     ORDER BY p.sku LIMIT @limit`);
  const countMatches = db.prepare<{ lo: string; hi: string; rawLo: string; rawHi: string; cap: number }, { n: number }>(
    `SELECT (SELECT count(*) FROM (SELECT 1 FROM products WHERE sku >= @rawLo AND sku < @rawHi LIMIT @cap))
       + (SELECT count(*) FROM (SELECT 1 FROM products WHERE name_en_norm >= @lo AND name_en_norm < @hi LIMIT @cap))
       + (SELECT count(*) FROM (SELECT 1 FROM products WHERE name_ar_norm >= @lo AND name_ar_norm < @hi LIMIT @cap)) AS n`);
  const DENSE_MATCHES = 2000;
  const lowStock = db.prepare<Scope & { limit: number }, StockSqlRow>(
    `SELECT ${STOCK_COLUMNS} FROM inventory_levels l JOIN products p ON p.id = l.product_id
     WHERE l.tenant_id = @t AND l.warehouse_id = @w AND p.active = 1 AND l.quantity - l.reserved <= p.reorder_level
     ORDER BY (l.quantity - l.reserved) - p.reorder_level, p.sku LIMIT @limit`);
  const history = db.prepare<Scope & { p: string; before: string; limit: number }, { id: string; movement_type: string; quantity_delta: number; reserved_delta: number; reference_id: string | null; op_id: string | null; created_at: string }>(
    `SELECT id, movement_type, quantity_delta, reserved_delta, reference_id, op_id, created_at FROM inventory_movements
     WHERE tenant_id = @t AND warehouse_id = @w AND product_id = @p AND id < @before ORDER BY id DESC LIMIT @limit`);
  const lookup = db.prepare<Scope & { code: string }, LookupSqlRow>(QUERY_SQL.lookup);
  const searchEn = db.prepare<Scope & { lo: string; hi: string; limit: number }, LookupSqlRow>(QUERY_SQL.searchEn);
  const searchAr = db.prepare<Scope & { lo: string; hi: string; limit: number }, LookupSqlRow>(QUERY_SQL.searchAr);
  const summary = db.prepare<Scope, Record<'products' | 'quantity' | 'reserved' | 'low' | 'out' | 'negative' | 'usd' | 'lbp', number | null>>(
    `SELECT count(*) AS products, sum(l.quantity) AS quantity, sum(l.reserved) AS reserved,
       sum(p.active = 1 AND l.quantity - l.reserved <= p.reorder_level) AS low,
       sum(l.quantity - l.reserved <= 0) AS out, sum(l.quantity < 0) AS negative,
       sum(CASE WHEN p.currency = 'USD' THEN max(l.quantity, 0) * p.price_minor END) AS usd,
       sum(CASE WHEN p.currency = 'LBP' THEN max(l.quantity, 0) * p.price_minor END) AS lbp
     FROM inventory_levels l JOIN products p ON p.id = l.product_id WHERE l.tenant_id = @t AND l.warehouse_id = @w`);
  const transitTotals = db.prepare<[], { direction: string; n: number }>(
    `SELECT t.direction, coalesce(sum(max(coalesce(tl.dispatched, 0) - coalesce(tl.received, 0), 0)), 0) AS n
     FROM transfers t JOIN transfer_lines tl ON tl.transfer_id = t.id WHERE t.status != 'received' GROUP BY t.direction`);
  const pendingCount = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM outbox WHERE device_id = ? AND sync_status = 'pending'");
  const openDiscrepancyCount = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM discrepancies WHERE resolved_at IS NULL AND warehouse_id = ?');
  const openDiscrepancies = db.prepare<[string, number], { id: string; product_id: string; kind: DiscrepancyRow['kind']; quantity: number; reference_id: string | null; created_at: string }>(
    'SELECT id, product_id, kind, quantity, reference_id, created_at FROM discrepancies WHERE resolved_at IS NULL AND warehouse_id = ? ORDER BY id LIMIT ?');

  return {
    stockList(raw: StockListParams = {}): StockPage {
      const q = parseOrThrow(StockListParams, raw, 'stock list');
      const base = { ...scope, after: q.afterSku ?? '', inactive: q.includeInactive ? 1 : 0, limit: q.limit };
      let found: StockSqlRow[];
      if (q.search === undefined) {
        found = stockList.all(base);
      } else {
        const lo = normalizeName(q.search);
        const ranges = { lo, hi: prefixUpperBound(lo), rawLo: q.search, rawHi: prefixUpperBound(q.search) };
        const many = (countMatches.get({ ...ranges, cap: DENSE_MATCHES })?.n ?? 0) >= DENSE_MATCHES;
        found = (many ? stockSearchMany : stockSearchFew).all({ ...base, ...ranges });
      }
      const rows = found.map(toStockRow);
      const last = rows[rows.length - 1];
      return { rows, nextAfterSku: rows.length === q.limit && last ? last.sku : null };
    },

    /** Stocked, active products at or below their reorder level, the most urgent first. */
    lowStock(raw: LowStockParams = {}): StockRow[] {
      const q = parseOrThrow(LowStockParams, raw, 'low stock');
      return lowStock.all({ ...scope, limit: q.limit }).map(toStockRow);
    },

    movementHistory(raw: MovementHistoryParams): MovementRow[] {
      const q = parseOrThrow(MovementHistoryParams, raw, 'movement history');
      requireProduct(ctx, q.productId);
      // Ids are lowercase hex UUIDv7: 'g' sorts after all of them.
      return history.all({ ...scope, p: q.productId, before: q.beforeId ?? 'g', limit: q.limit }).map((r) => ({
        id: r.id, movementType: r.movement_type, quantityDelta: r.quantity_delta, reservedDelta: r.reserved_delta,
        referenceId: r.reference_id, opId: r.op_id, createdAt: r.created_at,
      }));
    },

    /** A scanned barcode or a typed SKU; null when nothing matches. */
    lookup(raw: LookupParams): ProductLookupRow | null {
      const q = parseOrThrow(LookupParams, raw, 'lookup');
      const r = lookup.get({ ...scope, code: q.code });
      return r ? toLookupRow(r) : null;
    },

    /** Active products whose English or Arabic name starts with the prefix. */
    searchProducts(raw: SearchProductsParams): ProductLookupRow[] {
      const q = parseOrThrow(SearchProductsParams, raw, 'product search');
      const lo = normalizeName(q.prefix);
      const args = { ...scope, lo, hi: prefixUpperBound(lo), limit: q.limit };
      const seen = new Set<string>();
      const out: ProductLookupRow[] = [];
      for (const r of [...searchEn.all(args), ...searchAr.all(args)]) {
        if (out.length >= q.limit) break;
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        out.push(toLookupRow(r));
      }
      return out;
    },

    inventorySummary(): InventorySummary {
      const s = summary.get(scope);
      const transit = new Map(transitTotals.all().map((r) => [r.direction, r.n]));
      return {
        warehouseId: ctx.warehouseId, products: s?.products ?? 0, totalQuantity: s?.quantity ?? 0, totalReserved: s?.reserved ?? 0,
        totalAvailable: (s?.quantity ?? 0) - (s?.reserved ?? 0), lowStock: s?.low ?? 0, outOfStock: s?.out ?? 0, negative: s?.negative ?? 0,
        inTransitIn: transit.get('in') ?? 0, inTransitOut: transit.get('out') ?? 0,
        valueMinor: { USD: s?.usd ?? 0, LBP: s?.lbp ?? 0 },
        pendingOps: pendingCount.get(ctx.deviceId)?.n ?? 0, openDiscrepancies: openDiscrepancyCount.get(ctx.warehouseId)?.n ?? 0,
      };
    },

    openDiscrepancies(raw: { limit?: number } = {}): DiscrepancyRow[] {
      const q = parseOrThrow(z.object({ limit: z.number().int().min(1).max(1000).default(100) }), raw, 'discrepancies');
      return openDiscrepancies.all(ctx.warehouseId, q.limit).map((r) => ({
        id: r.id, productId: r.product_id, kind: r.kind, quantity: r.quantity, referenceId: r.reference_id, createdAt: r.created_at,
      }));
    },
  };
}
