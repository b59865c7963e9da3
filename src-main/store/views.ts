import type Database from 'better-sqlite3';
import { ReservationResult, SaleReceipt, TransferResult, type ProductLookupRow } from '../../src-shared/branch-inputs';
import type { ExpectedDelivery, OtherBranchStockRow, ReservationRow, WarehouseRow } from '../../src-shared/branch-api';
import { TAX_RATE_BP, type Currency, type TaxClass } from '../../src-shared/primitives';

/*
 * Read-only views the screens need beside the store's queries: products by
 * id, a sale by its receipt number, the open customer orders, transfers in
 * transit and expected, the purchase orders to receive, the warehouses, other
 * branches' stock. They write nothing; the store owns the connection, so
 * nothing outside src-main/store reads its tables.
 *
 * Receipts and reservations are read back from the outbox's `local_result`:
 * the very object the store returned when the operation committed.
 */

interface LookupSqlRow { id: string; sku: string; name_en: string; name_ar: string; price_minor: number; currency: Currency; tax_class: TaxClass; active: number; quantity: number; reserved: number }

export interface StoreViews {
  warehouseName(): string;
  /** Catalog facts and this branch's stock for products by id (for approval thresholds and count previews). */
  productsById(ids: readonly string[]): ProductLookupRow[];
  saleByReceiptNo(receiptNo: number): SaleReceipt | null;
  reservations(openOnly: boolean): ReservationRow[];
  transfersInTransit(): TransferResult[];
  expectedDeliveries(): ExpectedDelivery[];
  warehouses(): WarehouseRow[];
  /** The other warehouses' stock of a product, as of the last sync that carried it. */
  otherBranchesStock(productId: string): OtherBranchStockRow[];
}

export function createViews(db: Database.Database, ids: { tenantId: string; warehouseId: string; deviceId: string }): StoreViews {
  const product = db.prepare<{ id: string; t: string; w: string }, LookupSqlRow>(
    `SELECT p.id, p.sku, p.name_en, p.name_ar, p.price_minor, p.currency, p.tax_class, p.active,
       coalesce(l.quantity, 0) AS quantity, coalesce(l.reserved, 0) AS reserved
     FROM products p LEFT JOIN inventory_levels l ON l.tenant_id = @t AND l.warehouse_id = @w AND l.product_id = p.id
     WHERE p.id = @id`);
  const sale = db.prepare<[string, number], { local_result: string }>(
    `SELECT o.local_result FROM sales s JOIN outbox o ON o.op_id = s.op_id WHERE s.device_id = ? AND s.receipt_no = ?`);
  const reservations = db.prepare<[number], { local_result: string; status: string }>(
    `SELECT o.local_result, r.status FROM reservations r JOIN outbox o ON o.op_id = r.op_id
     WHERE (? = 0 OR r.status IN ('pending', 'held')) ORDER BY r.created_at DESC LIMIT 500`);
  const transfers = db.prepare<[string], { id: string; direction: 'in' | 'out'; from_warehouse_id: string; to_warehouse_id: string; status: string; created_at: string; dispatched_at: string | null }>(
    `SELECT id, direction, from_warehouse_id, to_warehouse_id, status, created_at, dispatched_at FROM transfers
     WHERE status != 'received' AND direction = ? ORDER BY created_at DESC LIMIT 500`);
  const transferLines = db.prepare<[string], { product_id: string; dispatched: number | null; received: number | null; sku: string; name_en: string; name_ar: string }>(
    `SELECT tl.product_id, tl.dispatched, tl.received, p.sku, p.name_en, p.name_ar
     FROM transfer_lines tl JOIN products p ON p.id = tl.product_id WHERE tl.transfer_id = ? ORDER BY p.sku`);
  const warehouses = db.prepare<[], { id: string; code: string; name: string }>('SELECT id, code, name FROM warehouses ORDER BY name');
  const openOrders = db.prepare<[], { id: string; ref: string; supplier: string; expected_at: string | null; created_at: string }>(
    `SELECT id, ref, supplier, expected_at, created_at FROM purchase_orders WHERE status = 'open'
     ORDER BY coalesce(expected_at, created_at), ref LIMIT 500`);
  const orderLines = db.prepare<[string], { product_id: string; ordered: number; sku: string; name_en: string; name_ar: string }>(
    `SELECT l.product_id, l.ordered, p.sku, p.name_en, p.name_ar
     FROM purchase_order_lines l JOIN products p ON p.id = l.product_id WHERE l.purchase_order_id = ? ORDER BY p.sku`);

  // Other warehouses' rows are written only by sync (central's levels), stamped with the time central read them.
  const others = db.prepare<{ t: string; w: string; p: string }, { warehouse_id: string; name: string; quantity: number; reserved: number; updated_at: string }>(
    `SELECT l.warehouse_id, w.name, l.quantity, l.reserved, l.updated_at FROM inventory_levels l JOIN warehouses w ON w.id = l.warehouse_id
     WHERE l.tenant_id = @t AND l.product_id = @p AND l.warehouse_id != @w ORDER BY w.name`);

  const name = (id: string) => warehouses.all().find((w) => w.id === id)?.name ?? null;
  const transferRows = (direction: 'in' | 'out'): TransferResult[] => transfers.all(direction).map((t) => TransferResult.parse({
    transferId: t.id, direction: t.direction, fromWarehouseId: t.from_warehouse_id, toWarehouseId: t.to_warehouse_id,
    status: t.status, occurredAt: t.dispatched_at ?? t.created_at,
    lines: transferLines.all(t.id).map((l) => ({ productId: l.product_id, dispatched: l.dispatched, received: l.received })),
    discrepancyIds: [],
  }));

  return {
    warehouseName: () => name(ids.warehouseId) ?? 'This branch',
    productsById(list) {
      const out: ProductLookupRow[] = [];
      for (const id of list) {
        const r = product.get({ id, t: ids.tenantId, w: ids.warehouseId });
        if (r) {
          out.push({
            productId: r.id, sku: r.sku, nameEn: r.name_en, nameAr: r.name_ar, priceMinor: r.price_minor, currency: r.currency,
            taxClass: r.tax_class, taxRateBp: TAX_RATE_BP[r.tax_class], active: r.active === 1,
            quantity: r.quantity, reserved: r.reserved, available: r.quantity - r.reserved,
          });
        }
      }
      return out;
    },
    saleByReceiptNo(receiptNo) {
      const r = sale.get(ids.deviceId, receiptNo);
      return r ? SaleReceipt.parse(JSON.parse(r.local_result)) : null;
    },
    reservations(openOnly) {
      // The status moves on after the reserve op (fulfilled, released, refused): the table has the current one.
      return reservations.all(openOnly ? 1 : 0).map((r) => ReservationResult.parse({ ...(JSON.parse(r.local_result) as object), status: r.status }));
    },
    transfersInTransit: () => transferRows('out'),
    expectedDeliveries: () => [...transfers.all('in').map((t): ExpectedDelivery => ({
      kind: 'transfer' as const,
      ref: t.id,
      fromWarehouseId: t.from_warehouse_id,
      fromName: name(t.from_warehouse_id),
      since: t.dispatched_at,
      lines: transferLines.all(t.id).map((l) => ({
        productId: l.product_id, sku: l.sku, nameEn: l.name_en, nameAr: l.name_ar, expected: (l.dispatched ?? 0) - (l.received ?? 0),
      })),
    })), ...openOrders.all().map((o): ExpectedDelivery => ({
      // A purchase order is received by its ref; the supplier stands where a transfer shows the sending branch.
      kind: 'purchase_order', ref: o.ref, fromWarehouseId: null, fromName: o.supplier, since: o.expected_at ?? o.created_at,
      lines: orderLines.all(o.id).map((l) => ({ productId: l.product_id, sku: l.sku, nameEn: l.name_en, nameAr: l.name_ar, expected: l.ordered })),
    }))],
    warehouses: () => warehouses.all().map((w) => ({ warehouseId: w.id, code: w.code, name: w.name, isThisBranch: w.id === ids.warehouseId })),
    otherBranchesStock: (productId) => others.all({ t: ids.tenantId, w: ids.warehouseId, p: productId }).map((r) => ({
      warehouseId: r.warehouse_id, name: r.name, quantity: r.quantity, reserved: r.reserved, available: r.quantity - r.reserved, asOf: r.updated_at,
    })),
  };
}
