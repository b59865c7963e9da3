import type Database from 'better-sqlite3';
import { DomainError } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import type { MovementType } from '../../src-shared/operations';
import type { Currency, TaxClass } from '../../src-shared/primitives';

/*
 * What every operation family shares: the connection, who this store is, the
 * clock, and the statements that touch levels, movements, discrepancies and
 * the catalog. All prepared once, at open.
 */

export interface ProductRow {
  id: string;
  sku: string;
  name_en: string;
  name_ar: string;
  price_minor: number;
  currency: Currency;
  tax_class: TaxClass;
  active: 0 | 1;
}

export interface LevelRow { quantity: number; reserved: number }

interface Where { t: string; w: string; p: string }
interface Change extends Where { q: number; now: string }

export const SQL = {
  getProduct: 'SELECT id, sku, name_en, name_ar, price_minor, currency, tax_class, active FROM products WHERE id = ?',
  readLevel: 'SELECT quantity, reserved FROM inventory_levels WHERE tenant_id = @t AND warehouse_id = @w AND product_id = @p',
  /** The seed's pattern: the WHERE is the availability check, the row count the answer. */
  takeStock: `UPDATE inventory_levels SET quantity = quantity - @q, updated_at = @now
    WHERE tenant_id = @t AND warehouse_id = @w AND product_id = @p AND quantity - reserved >= @q`,
  reserveStock: `UPDATE inventory_levels SET reserved = reserved + @q, updated_at = @now
    WHERE tenant_id = @t AND warehouse_id = @w AND product_id = @p AND quantity - reserved >= @q`,
  unreserveStock: `UPDATE inventory_levels SET reserved = reserved - @q, updated_at = @now
    WHERE tenant_id = @t AND warehouse_id = @w AND product_id = @p AND reserved >= @q`,
  fulfilStock: `UPDATE inventory_levels SET quantity = quantity - @q, reserved = reserved - @q, updated_at = @now
    WHERE tenant_id = @t AND warehouse_id = @w AND product_id = @p AND reserved >= @q`,
  /** Unconditional change (receipts, returns, overrides, counts): creates the level row if needed. */
  addStock: `INSERT INTO inventory_levels (tenant_id, warehouse_id, product_id, quantity, reserved, updated_at)
    VALUES (@t, @w, @p, @q, 0, @now)
    ON CONFLICT (tenant_id, warehouse_id, product_id)
    DO UPDATE SET quantity = quantity + excluded.quantity, updated_at = excluded.updated_at
    RETURNING quantity, reserved`,
  insertMovement: `INSERT INTO inventory_movements
    (id, tenant_id, warehouse_id, product_id, movement_type, quantity_delta, reserved_delta, reference_id, op_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertDiscrepancy: `INSERT INTO discrepancies (id, warehouse_id, product_id, kind, quantity, reference_id, op_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
} as const;

function prepareCommon(db: Database.Database) {
  return {
    getProduct: db.prepare<[string], ProductRow>(SQL.getProduct),
    readLevel: db.prepare<Where, LevelRow>(SQL.readLevel),
    takeStock: db.prepare<Change>(SQL.takeStock),
    reserveStock: db.prepare<Change>(SQL.reserveStock),
    unreserveStock: db.prepare<Change>(SQL.unreserveStock),
    fulfilStock: db.prepare<Change>(SQL.fulfilStock),
    addStock: db.prepare<Change, LevelRow>(SQL.addStock),
    insertMovement: db.prepare<[string, string, string, string, MovementType, number, number, string | null, string | null, string]>(SQL.insertMovement),
    insertDiscrepancy: db.prepare<[string, string, string, string, number, string | null, string | null, string]>(SQL.insertDiscrepancy),
  };
}

export interface StoreContext {
  db: Database.Database;
  tenantId: string;
  warehouseId: string;
  deviceId: string;
  /** ISO time, injectable for tests. */
  now: () => string;
  /** Runs fn in one BEGIN IMMEDIATE transaction; a throw rolls everything back. */
  tx: <T>(fn: () => T) => T;
  stmt: ReturnType<typeof prepareCommon>;
}

export function createContext(db: Database.Database, ids: { tenantId: string; warehouseId: string; deviceId: string }, now: () => string): StoreContext {
  const immediate = db.transaction((fn: () => unknown) => fn()).immediate;
  return { db, ...ids, now, tx: <T>(fn: () => T) => immediate(fn) as T, stmt: prepareCommon(db) };
}

/** The product, or `unknown_product`. */
export function requireProduct(ctx: StoreContext, productId: string): ProductRow {
  const p = ctx.stmt.getProduct.get(productId);
  if (!p) throw new DomainError('unknown_product', `no product ${productId} in this branch's catalog`, { productId });
  return p;
}

export function readLevel(ctx: StoreContext, productId: string, warehouseId = ctx.warehouseId): LevelRow {
  return ctx.stmt.readLevel.get({ t: ctx.tenantId, w: warehouseId, p: productId }) ?? { quantity: 0, reserved: 0 };
}

export function insufficient(ctx: StoreContext, product: ProductRow, requested: number): DomainError {
  // Read after the failed conditional UPDATE, only to word the refusal.
  const l = readLevel(ctx, product.id);
  const available = l.quantity - l.reserved;
  return new DomainError('insufficient_stock', `only ${available} of ${product.sku} (${product.name_en}) available, ${requested} requested`,
    { productId: product.id, sku: product.sku, requested, available });
}

/** Takes stock if available (conditional UPDATE), else throws insufficient_stock. */
export function takeOrThrow(ctx: StoreContext, product: ProductRow, quantity: number, at: string): void {
  const r = ctx.stmt.takeStock.run({ t: ctx.tenantId, w: ctx.warehouseId, p: product.id, q: quantity, now: at });
  if (r.changes !== 1) throw insufficient(ctx, product, quantity);
}

export function addStock(ctx: StoreContext, productId: string, delta: number, at: string): LevelRow {
  const row = ctx.stmt.addStock.get({ t: ctx.tenantId, w: ctx.warehouseId, p: productId, q: delta, now: at });
  if (!row) throw new Error(`level upsert returned nothing for ${productId}`);
  return row;
}

export function recordMovement(
  ctx: StoreContext, productId: string, type: MovementType, quantityDelta: number, reservedDelta: number,
  referenceId: string | null, opId: string | null, at: string,
): void {
  ctx.stmt.insertMovement.run(uuidv7(), ctx.tenantId, ctx.warehouseId, productId, type, quantityDelta, reservedDelta, referenceId, opId, at);
}

export function raiseDiscrepancy(
  ctx: StoreContext, productId: string, kind: 'negative_stock' | 'short_receipt' | 'over_receipt', quantity: number,
  referenceId: string | null, opId: string | null, at: string,
): string {
  const id = uuidv7();
  ctx.stmt.insertDiscrepancy.run(id, ctx.warehouseId, productId, kind, quantity, referenceId, opId, at);
  return id;
}

/** Refuses a list naming the same product twice where that would be ambiguous (counts, transfers in). */
export function refuseDuplicates(productIds: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const id of productIds) {
    if (seen.has(id)) throw new DomainError('validation', `invalid ${what}: product ${id} appears twice`, { productId: id });
    seen.add(id);
  }
}
