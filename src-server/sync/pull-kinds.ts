import type { Discrepancy, ExchangeRate, FollowUp, LevelSnapshot, PurchaseOrderView, ReservationOutcome, TransferView, Warehouse } from '../../src-shared/sync';
import { withLines, type PoRow } from '../admin/purchase-orders';
import type { Product } from '../../src-shared/primitives';
import type { Queryable } from '../db/database';

/*
 * What a device pulls, kind by kind. Each kind lists the rows changed at or
 * after the watermark (change_xid), ordered by (change_xid, key) so a page can
 * resume after the last row it sent.
 */

export interface PullScope { tenantId: string; warehouseId: string }

export type Row = Record<string, unknown>;

export interface PullKind<Out> {
  name: 'warehouses' | 'products' | 'exchangeRates' | 'levels' | 'transfers' | 'reservations' | 'discrepancies' | 'followUps' | 'purchaseOrders';
  table: string;
  /** Key columns after change_xid, with their SQL types, for the resume position. */
  key: { column: string; type: string }[];
  /** Extra filter on the device's own warehouse ($2); null for tenant-wide kinds. */
  filter: string | null;
  columns: string;
  map(rows: Row[], tx: Queryable, scope: PullScope): Promise<Out[]>;
}

const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));
const str = (v: unknown): string => String(v);
const num = (v: unknown): number => Number(v);

const warehouses: PullKind<Warehouse> = {
  name: 'warehouses', table: 'warehouses', key: [{ column: 'id', type: 'uuid' }], filter: null,
  columns: 'id, code, name, kind, timezone',
  map: async (rows) => rows.map((r) => ({ id: str(r.id), code: str(r.code), name: str(r.name), kind: r.kind as Warehouse['kind'], timezone: str(r.timezone) })),
};

const products: PullKind<Product> = {
  name: 'products', table: 'products', key: [{ column: 'id', type: 'uuid' }], filter: null,
  columns: 'id, sku, barcodes, name_en, name_ar, price_minor, currency, tax_class, active',
  map: async (rows) => rows.map((r) => ({
    id: str(r.id), sku: str(r.sku), barcodes: (r.barcodes as string[]) ?? [], nameEn: str(r.name_en), nameAr: str(r.name_ar),
    priceMinor: num(r.price_minor), currency: r.currency as Product['currency'], taxClass: r.tax_class as Product['taxClass'], active: Boolean(r.active),
  })),
};

const exchangeRates: PullKind<ExchangeRate> = {
  name: 'exchangeRates', table: 'exchange_rates', key: [{ column: 'currency', type: 'text' }, { column: 'effective_at', type: 'timestamptz' }], filter: null,
  columns: 'currency, per_usd, effective_at',
  map: async (rows) => rows.map((r) => ({ currency: 'LBP' as const, perUsd: num(r.per_usd), effectiveAt: iso(r.effective_at) })),
};

/** Levels of every warehouse of the tenant: its own are authoritative, the others serve stock look-ups. */
const levels: PullKind<LevelSnapshot> = {
  name: 'levels', table: 'inventory_levels', key: [{ column: 'warehouse_id', type: 'uuid' }, { column: 'product_id', type: 'uuid' }], filter: null,
  columns: 'warehouse_id, product_id, quantity, reserved, updated_at',
  map: async (rows) => rows.map((r) => ({
    warehouseId: str(r.warehouse_id), productId: str(r.product_id), quantity: num(r.quantity), reserved: num(r.reserved), updatedAt: iso(r.updated_at),
  })),
};

/** Inbound transfers once the worker announced them, and the device's own dispatches. */
const transfers: PullKind<TransferView> = {
  name: 'transfers', table: 'transfers', key: [{ column: 'id', type: 'uuid' }],
  filter: '((to_warehouse_id = $2 AND announced_at IS NOT NULL) OR from_warehouse_id = $2)',
  columns: 'id, from_warehouse_id, to_warehouse_id, status, dispatched_at',
  async map(rows, tx, scope) {
    if (rows.length === 0) return [];
    const l = await tx.query<{ transfer_id: string; product_id: string; dispatched: number; received: number }>(
      `SELECT transfer_id, product_id, dispatched, received FROM transfer_lines WHERE tenant_id = $1 AND transfer_id = ANY($2::uuid[]) ORDER BY product_id`,
      [scope.tenantId, rows.map((r) => r.id)]);
    return rows.map((r) => ({
      transferId: str(r.id), fromWarehouseId: str(r.from_warehouse_id), toWarehouseId: str(r.to_warehouse_id),
      status: r.status as TransferView['status'], dispatchedAt: iso(r.dispatched_at),
      lines: l.rows.filter((x) => x.transfer_id === r.id).map((x) => ({ productId: x.product_id, dispatched: num(x.dispatched), received: num(x.received) })),
    }));
  },
};

const reservations: PullKind<ReservationOutcome> = {
  name: 'reservations', table: 'reservations', key: [{ column: 'id', type: 'uuid' }], filter: 'warehouse_id = $2',
  columns: 'id, status, reason',
  map: async (rows) => rows.map((r) => {
    const out: ReservationOutcome = { reservationId: str(r.id), status: r.status as ReservationOutcome['status'] };
    if (typeof r.reason === 'string') out.reason = r.reason;
    return out;
  }),
};

const discrepancies: PullKind<Discrepancy> = {
  name: 'discrepancies', table: 'discrepancies', key: [{ column: 'id', type: 'uuid' }], filter: 'warehouse_id = $2',
  columns: 'id, warehouse_id, product_id, kind, quantity, reference_id, created_at, resolved_at',
  map: async (rows) => rows.map((r) => {
    const out: Discrepancy = {
      id: str(r.id), warehouseId: str(r.warehouse_id), productId: str(r.product_id), kind: r.kind as Discrepancy['kind'],
      quantity: num(r.quantity), createdAt: iso(r.created_at), resolvedAt: isoOrNull(r.resolved_at),
    };
    if (typeof r.reference_id === 'string') out.referenceId = r.reference_id;
    return out;
  }),
};

const followUps: PullKind<FollowUp> = {
  name: 'followUps', table: 'follow_ups', key: [{ column: 'id', type: 'uuid' }], filter: 'warehouse_id = $2',
  columns: 'id, warehouse_id, reservation_id, customer, reason, created_at, closed_at',
  map: async (rows) => rows.map((r) => ({
    id: str(r.id), warehouseId: str(r.warehouse_id), reservationId: str(r.reservation_id), customer: r.customer as FollowUp['customer'],
    reason: str(r.reason), createdAt: iso(r.created_at), closedAt: isoOrNull(r.closed_at),
  })),
};

/** Every status change of this warehouse's orders: open ones to receive, received or cancelled ones for the till to drop. */
const purchaseOrders: PullKind<PurchaseOrderView> = {
  name: 'purchaseOrders', table: 'purchase_orders', key: [{ column: 'id', type: 'uuid' }], filter: 'warehouse_id = $2',
  columns: 'id, ref, warehouse_id, supplier, status, expected_at, created_at',
  map: (rows, tx, scope) => withLines(tx, scope.tenantId, rows as unknown as PoRow[]),
};

/** The order kinds are sent in: catalog before levels, so a level never names a product the device has not seen. */
export const pullKinds = [warehouses, products, exchangeRates, levels, transfers, reservations, discrepancies, followUps, purchaseOrders] as const;
// purchaseOrders is last so a cursor from a server without it (k up to its old length) still resumes at the same kind.
