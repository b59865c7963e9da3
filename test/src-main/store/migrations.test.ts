import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS, runMigrations, schemaVersion } from '../../../src-main/store/migrations';
import { openBranchStore } from '../../../src-main/store';
import { DEVICE, expectDomainError, TENANT, tempDir, WAREHOUSE } from './helpers';

const open = (file: string) => openBranchStore({ file, tenantId: TENANT, warehouseId: WAREHOUSE, deviceId: DEVICE });

describe('migrations', () => {
  it('the registry is ordered 1..n', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: LATEST_VERSION }, (_, i) => i + 1));
  });

  it('migration 1 creates the branch schema: STRICT tables, indexes, append-only movements', () => {
    const db = new Database(':memory:');
    expect(runMigrations(db, MIGRATIONS.slice(0, 1))).toEqual([1]);
    expect(schemaVersion(db)).toBe(1);
    const tables = db.prepare<[], { name: string; strict: number }>("SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
    expect(tables.map((t) => t.name)).toEqual([
      'adjustment_lines', 'adjustments', 'count_lines', 'counts', 'device_counters', 'discrepancies', 'inventory_levels', 'inventory_movements',
      'outbox', 'payments', 'product_barcodes', 'products', 'receipt_lines', 'receipts', 'reservation_lines', 'reservations', 'return_lines',
      'returns', 'sale_lines', 'sales', 'store_identity', 'transfer_lines', 'transfers', 'warehouses',
    ]);
    expect(tables.every((t) => t.strict === 1)).toBe(true);
    const cols = (t: string) => db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${t}')`).all().map((c) => c.name);
    expect(cols('inventory_levels')).toEqual(['tenant_id', 'warehouse_id', 'product_id', 'quantity', 'reserved', 'updated_at']);
    expect(cols('inventory_movements')).toEqual(expect.arrayContaining(['quantity_delta', 'reserved_delta', 'op_id', 'reference_id', 'movement_type']));
    expect(cols('outbox')).toEqual(expect.arrayContaining(['op_id', 'seq', 'type', 'payload', 'input_hash', 'sync_status', 'sync_result', 'synced_at']));
    const indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all().map((i) => i.name);
    expect(indexes).toEqual(expect.arrayContaining(['products_name_en', 'products_name_ar', 'inventory_movements_product', 'inventory_movements_op', 'outbox_pending']));

    db.prepare("INSERT INTO inventory_movements (id, tenant_id, warehouse_id, product_id, movement_type, quantity_delta, created_at) VALUES ('m1', 't', 'w', 'p', 'opening', 5, 'now')").run();
    expect(() => db.prepare('UPDATE inventory_movements SET quantity_delta = 6').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM inventory_movements').run()).toThrow(/append-only/);
    expect(() => db.prepare("INSERT INTO inventory_movements (id, tenant_id, warehouse_id, product_id, movement_type, quantity_delta, created_at) VALUES ('m2', 't', 'w', 'p', 'opening', 'five', 'now')").run()).toThrow(/INTEGER/);
    expect(() => db.prepare("INSERT INTO inventory_movements (id, tenant_id, warehouse_id, product_id, movement_type, quantity_delta, created_at) VALUES ('m3', 't', 'w', 'p', 'gift', 1, 'now')").run()).toThrow(/CHECK/);
    db.close();
  });

  it('opening applies pending migrations once, with WAL, synchronous=FULL and foreign keys', async () => {
    const file = join(tempDir(), 'b.sqlite');
    const s = open(file);
    await s.close();
    const again = open(file);
    expect(again.schemaVersion()).toBe(LATEST_VERSION);
    await again.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('all pending migrations run in one transaction: a failing one leaves the file at its old version', () => {
    const db = new Database(':memory:');
    const failing = [...MIGRATIONS.slice(0, 1), { version: 2, name: 'broken', up: (d: Database.Database) => { d.exec('CREATE TABLE half_done (x INTEGER) STRICT'); d.exec('SELECT * FROM no_such_table'); } }];
    expect(() => runMigrations(db, failing)).toThrow(/no_such_table/);
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('half_done', 'sales')").get()).toEqual({ n: 0 });
    db.close();
  });

  it('a populated version-1 database upgrades to the latest with every row kept and consistent', async () => {
    const file = join(tempDir(), 'b.sqlite');
    const v1 = new Database(file);
    v1.pragma('journal_mode = WAL');
    runMigrations(v1, MIGRATIONS.slice(0, 1));
    v1.close();
    // The store upgrades whatever it opens, so the version-1 rows (an opening, a sale) are written directly.
    const db = new Database(file);
    const p = '018f0000-0000-7000-8000-0000000000a1';
    db.exec(`
      INSERT INTO store_identity VALUES (1, '${TENANT}', '${WAREHOUSE}', '${DEVICE}', '2026-01-01T00:00:00.000Z');
      INSERT INTO device_counters VALUES ('${DEVICE}', 1, 1);
      INSERT INTO products (id, tenant_id, sku, name_en, name_ar, name_en_norm, name_ar_norm, price_minor, currency, tax_class, active, reorder_level, updated_at)
        VALUES ('${p}', '${TENANT}', 'S1', 'Tea', 'شاي', 'tea', 'شاي', 100, 'USD', 'standard', 1, 0, 'x');
      INSERT INTO inventory_levels VALUES ('${TENANT}', '${WAREHOUSE}', '${p}', 4, 0, 'x');
      INSERT INTO inventory_movements (id, tenant_id, warehouse_id, product_id, movement_type, quantity_delta, created_at) VALUES ('m1', '${TENANT}', '${WAREHOUSE}', '${p}', 'opening', 5, 'x');
      INSERT INTO inventory_movements (id, tenant_id, warehouse_id, product_id, movement_type, quantity_delta, op_id, created_at) VALUES ('m2', '${TENANT}', '${WAREHOUSE}', '${p}', 'sale', -1, 'op1', 'x');
      INSERT INTO outbox (op_id, device_id, seq, type, payload, input_hash, actor_id, created_at, local_result) VALUES ('op1', '${DEVICE}', 1, 'sale', '{}', 'h', 'a', 'x', '{}');
      INSERT INTO sales VALUES ('s1', 'op1', '${DEVICE}', 1, 'a', 'USD', 90, 10, 100, 100, 0, NULL, 1, 1, NULL, NULL, NULL, 'x');
      INSERT INTO sale_lines VALUES ('s1', 1, '${p}', 1, 100, 1100, 100, 10);
      INSERT INTO payments VALUES ('s1', 1, 'cash', 'USD', 100, NULL);
    `);
    const before = Object.fromEntries(['products', 'inventory_levels', 'inventory_movements', 'outbox', 'sales', 'sale_lines', 'payments']
      .map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all()]));
    db.close();

    const s = open(file);
    try {
      expect(s.schemaVersion()).toBe(LATEST_VERSION);
      expect(s.verifyConsistency()).toMatchObject({ ok: true, mismatches: [] });
      expect(s.lookup({ code: 'S1' })).toMatchObject({ productId: p, quantity: 4 });
    } finally {
      await s.close();
    }
    const after = new Database(file, { readonly: true });
    for (const [t, rows] of Object.entries(before)) expect(after.prepare(`SELECT * FROM ${t} ORDER BY 1`).all(), t).toEqual(rows);
    after.close();
  });

  it('migration 4 gives counts an approving manager, keeping the counts already there', () => {
    const db = new Database(':memory:');
    runMigrations(db, MIGRATIONS.slice(0, 3));
    db.exec("INSERT INTO counts (id, op_id, actor_id, scope, created_at) VALUES ('c1', 'op1', 'karim', 'aisle 3', 'x')");
    expect(runMigrations(db, MIGRATIONS.slice(0, 4))).toEqual([4]);
    expect(db.prepare('SELECT * FROM counts').all()).toEqual([{ id: 'c1', op_id: 'op1', actor_id: 'karim', scope: 'aisle 3', created_at: 'x', approved_by: null }]);
    db.close();
  });

  it('refuses a database written by a newer version, without touching it', async () => {
    const file = join(tempDir(), 'b.sqlite');
    await open(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    expectDomainError(() => open(file), 'database_newer');
    const after = new Database(file);
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 1);
    after.close();
  });
});
