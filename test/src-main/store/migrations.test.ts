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
