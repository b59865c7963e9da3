import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../../../src-server/db/database';
import { uuidv7 } from '../../../src-shared/ids';

/*
 * Test fixture: one tenant with warehouses, products, opening stock and a
 * device per warehouse, written through the application role like the admin
 * routes would. Tokens follow the device-token format (bpd.<tenant>.<device>.<secret>).
 */

export interface SeededDevice {
  deviceId: string;
  warehouseId: string;
  token: string;
}

export interface SeededTenant {
  tenantId: string;
  warehouseIds: string[];
  productIds: string[];
  /** One device per warehouse, same order as warehouseIds. */
  devices: SeededDevice[];
}

export interface SeedOptions {
  name?: string;
  warehouses?: number;
  products?: number;
  /** Opening quantity of every product at every warehouse (0: no level rows). */
  stock?: number;
}

export function mintToken(tenantId: string, deviceId: string): string {
  return `bpd.${tenantId}.${deviceId}.${randomBytes(32).toString('base64url')}`;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function insertProduct(tx: Queryable, tenantId: string, productId: string, sku: string): Promise<void> {
  await tx.query(
    `INSERT INTO products (tenant_id, id, sku, barcodes, name_en, name_ar, price_minor, currency, tax_class)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'USD', 'standard')`,
    [tenantId, productId, sku, [`B${sku}`], `Product ${sku}`, `منتج ${sku}`, 250]);
}

export async function insertDevice(tx: Queryable, tenantId: string, warehouseId: string): Promise<SeededDevice> {
  const deviceId = uuidv7();
  const token = mintToken(tenantId, deviceId);
  await tx.query(`INSERT INTO devices (tenant_id, id, warehouse_id, name, token_hash) VALUES ($1, $2, $3, $4, $5)`,
    [tenantId, deviceId, warehouseId, `till ${deviceId.slice(-4)}`, tokenHash(token)]);
  return { deviceId, warehouseId, token };
}

export async function seedTenant(db: Database, opts: SeedOptions = {}): Promise<SeededTenant> {
  const tenantId = uuidv7();
  const nW = opts.warehouses ?? 2;
  const nP = opts.products ?? 3;
  const stock = opts.stock ?? 10;
  return db.withTenant(tenantId, async (tx) => {
    await tx.query(`INSERT INTO tenants (id, name) VALUES ($1, $2)`, [tenantId, opts.name ?? `Tenant ${tenantId.slice(-6)}`]);
    const warehouseIds: string[] = [];
    for (let i = 0; i < nW; i += 1) {
      const id = uuidv7();
      warehouseIds.push(id);
      await tx.query(`INSERT INTO warehouses (tenant_id, id, code, name, kind, timezone) VALUES ($1, $2, $3, $4, $5, 'Asia/Beirut')`,
        [tenantId, id, `W${i + 1}`, `Branch ${i + 1}`, i === 0 ? 'warehouse' : 'store']);
    }
    const productIds: string[] = [];
    for (let i = 0; i < nP; i += 1) {
      const id = uuidv7();
      productIds.push(id);
      await insertProduct(tx, tenantId, id, `SKU-${i + 1}`);
    }
    if (stock > 0) {
      for (const w of warehouseIds) {
        await tx.query(
          `INSERT INTO inventory_levels (tenant_id, warehouse_id, product_id, quantity) SELECT $1, $2, p, $3 FROM unnest($4::uuid[]) AS p`,
          [tenantId, w, stock, productIds]);
        await tx.query(
          `INSERT INTO inventory_movements (tenant_id, warehouse_id, product_id, quantity_delta, movement_type) SELECT $1, $2, p, $3, 'opening' FROM unnest($4::uuid[]) AS p`,
          [tenantId, w, stock, productIds]);
      }
    }
    const devices: SeededDevice[] = [];
    for (const w of warehouseIds) devices.push(await insertDevice(tx, tenantId, w));
    return { tenantId, warehouseIds, productIds, devices };
  });
}
