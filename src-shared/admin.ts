import { z } from 'zod';
import { AmountMinor, Barcode, Currency, Id, IsoTime, Role, Sku, TaxClass, WarehouseKind } from './primitives';

/*
 * Bodies and answers of the central API's administration routes (admin
 * token). Shared so an admin screen or script validates before it sends.
 */

/** An IANA time zone the runtime knows (Asia/Beirut, Asia/Dubai...). */
export const TimeZone = z.string().min(1).max(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Asia/Beirut');

export const CreateTenantBody = z.object({
  /** Chosen by the caller to make the request safe to retry; generated when absent. */
  id: Id.optional(),
  name: z.string().trim().min(1).max(200),
});
export type CreateTenantBody = z.infer<typeof CreateTenantBody>;

export const Tenant = z.object({ id: Id, name: z.string(), createdAt: IsoTime });
export type Tenant = z.infer<typeof Tenant>;

export const WarehouseCode = z.string().trim().regex(/^[A-Za-z0-9_-]{1,32}$/, 'code: 1-32 letters, digits, - or _');

export const CreateWarehouseBody = z.object({
  id: Id.optional(),
  code: WarehouseCode,
  name: z.string().trim().min(1).max(120),
  kind: WarehouseKind,
  timezone: TimeZone.default('Asia/Beirut'),
});
export type CreateWarehouseBody = z.infer<typeof CreateWarehouseBody>;

export const UpdateWarehouseBody = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  kind: WarehouseKind.optional(),
  timezone: TimeZone.optional(),
  active: z.boolean().optional(),
}).refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change');
export type UpdateWarehouseBody = z.infer<typeof UpdateWarehouseBody>;

/** A catalog entry as an admin sends it: keyed by SKU, id optional (kept when the SKU exists). */
export const ProductInput = z.object({
  id: Id.optional(),
  sku: Sku,
  barcodes: z.array(Barcode).max(20).default([]),
  nameEn: z.string().trim().min(1).max(200),
  nameAr: z.string().trim().max(200).default(''),
  priceMinor: AmountMinor,
  currency: Currency,
  taxClass: TaxClass.default('standard'),
  active: z.boolean().default(true),
});
export type ProductInput = z.infer<typeof ProductInput>;

export const MAX_PRODUCTS_PER_REQUEST = 5000;

export const UpsertProductsBody = z.object({
  products: z.array(ProductInput).min(1).max(MAX_PRODUCTS_PER_REQUEST),
});
export type UpsertProductsBody = z.infer<typeof UpsertProductsBody>;

export const UpsertProductsResult = z.object({
  inserted: z.number().int().min(0),
  updated: z.number().int().min(0),
  products: z.array(z.object({ id: Id, sku: z.string() })),
});
export type UpsertProductsResult = z.infer<typeof UpsertProductsResult>;

/**
 * CSV import. `all_or_nothing` (the default): a file with any bad row applies
 * nothing and returns the full report, so a half-imported catalog never
 * reaches the tills. `valid_rows`: the good rows are applied, the bad ones reported.
 */
export const ImportMode = z.enum(['all_or_nothing', 'valid_rows']);
export const ImportQuery = z.object({ mode: ImportMode.default('all_or_nothing') });

export const ImportRowError = z.object({
  /** Line in the file, the header being row 1 (as a spreadsheet numbers it). */
  row: z.number().int().min(1),
  field: z.string(),
  message: z.string(),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

export const ImportReport = z.object({
  mode: ImportMode,
  rows: z.number().int().min(0),
  applied: z.boolean(),
  inserted: z.number().int().min(0),
  updated: z.number().int().min(0),
  rejected: z.number().int().min(0),
  errors: z.array(ImportRowError),
});
export type ImportReport = z.infer<typeof ImportReport>;

const WEAK_PINS = /^(\d)\1+$|^(0123|1234|2345|3456|4567|5678|6789|9876|8765|7654|6543|5432|4321|3210)/;
/** 4 to 8 digits; one repeated digit or a straight run is refused (the first PIN anyone tries). */
export const Pin = z.string().regex(/^\d{4,8}$/, 'PIN: 4 to 8 digits').refine((p) => !WEAK_PINS.test(p), 'PIN too easy to guess');

export const Username = z.string().trim().toLowerCase().regex(/^[a-z0-9._-]{2,32}$/, 'username: 2-32 letters, digits, . _ or -');

export const CreateUserBody = z.object({
  id: Id.optional(),
  username: Username,
  displayName: z.string().trim().min(1).max(120),
  role: Role,
  pin: Pin,
  /** Limit the user to one warehouse; absent = every warehouse of the tenant. */
  warehouseId: Id.nullable().optional(),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z.object({
  displayName: z.string().trim().min(1).max(120).optional(),
  role: Role.optional(),
  pin: Pin.optional(),
  warehouseId: Id.nullable().optional(),
  active: z.boolean().optional(),
}).refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change');
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const BranchUser = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  role: Role,
  warehouseId: Id.nullable(),
  active: z.boolean(),
  createdAt: IsoTime,
});
export type BranchUser = z.infer<typeof BranchUser>;

export const CreateEnrollmentCodeBody = z.object({
  warehouseId: Id,
  ttlMinutes: z.number().int().min(1).max(15).default(15),
});
export const EnrollmentCode = z.object({ id: Id, code: z.string(), warehouseId: Id, expiresAt: IsoTime });
export type EnrollmentCode = z.infer<typeof EnrollmentCode>;

export const DeviceView = z.object({
  id: Id,
  warehouseId: Id,
  name: z.string(),
  lastAppliedSeq: z.number().int().min(0),
  createdAt: IsoTime,
  lastSeenAt: IsoTime.nullable(),
  revokedAt: IsoTime.nullable(),
});
export type DeviceView = z.infer<typeof DeviceView>;

export const ExchangeRateBody = z.object({
  perUsd: z.number().int().min(1).max(10_000_000),
  /** When the rate takes effect; now when absent. */
  effectiveAt: IsoTime.optional(),
});
export type ExchangeRateBody = z.infer<typeof ExchangeRateBody>;

export const ListQuery = z.object({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  warehouseId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type ListQuery = z.infer<typeof ListQuery>;

export const CloseBody = z.object({ by: z.string().trim().min(1).max(64), note: z.string().trim().max(200).optional() });
export type CloseBody = z.infer<typeof CloseBody>;

/** A purchase order for one warehouse: each product once, at least one unit ordered. */
export const CreatePurchaseOrderBody = z.object({
  /** Client-chosen id, so a retried create is recognised. */
  id: Id.optional(),
  ref: z.string().trim().min(1).max(64),
  warehouseId: Id,
  supplier: z.string().trim().min(1).max(120),
  expectedAt: IsoTime.optional(),
  lines: z.array(z.object({ productId: Id, ordered: z.number().int().min(1).max(1_000_000) })).min(1).max(500)
    .refine((ls) => new Set(ls.map((l) => l.productId.toLowerCase())).size === ls.length, 'each product once per purchase order'),
});
export type CreatePurchaseOrderBody = z.infer<typeof CreatePurchaseOrderBody>;

export const PurchaseOrdersQuery = z.object({
  status: z.enum(['open', 'received', 'cancelled', 'all']).default('open'),
  warehouseId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type PurchaseOrdersQuery = z.infer<typeof PurchaseOrdersQuery>;

export const TenantParams = z.object({ tenantId: Id });
export const TenantItemParams = z.object({ tenantId: Id, id: Id });

/** Per product over all of a tenant's warehouses; exact at the moment of reading. */
export const InventorySummaryRow = z.object({
  productId: Id,
  quantity: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  inTransit: z.number().int(),
  /** Warehouses holding a positive quantity. */
  warehouseCount: z.number().int(),
});
export const InventorySummaryQuery = z.object({
  productId: Id.optional(),
  /** Page after this product id (product id order). */
  after: Id.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

export const LevelsQuery = z.object({
  warehouseId: Id.optional(),
  productId: Id.optional(),
  /** Only rows where available (quantity - reserved) is at most this: the restock list. */
  availableAtMost: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export const LevelView = z.object({
  warehouseId: Id,
  productId: Id,
  sku: z.string(),
  quantity: z.number().int(),
  reserved: z.number().int(),
  available: z.number().int(),
  inTransit: z.number().int(),
  updatedAt: IsoTime,
});
export type LevelView = z.infer<typeof LevelView>;

export const NotificationsQuery = z.object({
  unread: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const NotificationView = z.object({
  id: z.number().int(),
  kind: z.string(),
  warehouseId: Id.nullable(),
  referenceId: Id.nullable(),
  body: z.record(z.string(), z.unknown()),
  createdAt: IsoTime,
  readAt: IsoTime.nullable(),
});
export type NotificationView = z.infer<typeof NotificationView>;
