/*
 * Migration 1: the branch store's first schema. STRICT tables so a wrong type
 * is an error, not a silently stored string. Ids are UUIDv7 text; the hot,
 * append-mostly tables (movements, outbox, sales) are WITHOUT ROWID keyed by
 * that id, so each insert lands at the right edge of a single B-tree.
 *
 * inventory_levels is keyed by (tenant, warehouse, product): this branch's own
 * rows are written by its operations, other warehouses' rows arrive later from
 * sync pulls (with sync_rebase movements, so the fold still holds for them).
 */
export const SCHEMA_V1 = `
CREATE TABLE store_identity (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  tenant_id TEXT NOT NULL,
  warehouse_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE warehouses (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('store', 'warehouse')),
  timezone TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE products (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  sku TEXT NOT NULL UNIQUE,
  name_en TEXT NOT NULL,
  name_ar TEXT NOT NULL,
  -- lowercased, Arabic diacritics and letter variants folded: prefix search runs as an index range
  name_en_norm TEXT NOT NULL,
  name_ar_norm TEXT NOT NULL,
  price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
  currency TEXT NOT NULL CHECK (currency IN ('USD', 'LBP')),
  tax_class TEXT NOT NULL CHECK (tax_class IN ('standard', 'reduced', 'zero', 'exempt')),
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  reorder_level INTEGER NOT NULL DEFAULT 0 CHECK (reorder_level >= 0),
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX products_name_en ON products (name_en_norm);
CREATE INDEX products_name_ar ON products (name_ar_norm);

CREATE TABLE product_barcodes (
  barcode TEXT PRIMARY KEY,
  product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX product_barcodes_product ON product_barcodes (product_id);

CREATE TABLE inventory_levels (
  tenant_id TEXT NOT NULL,
  warehouse_id TEXT NOT NULL,
  product_id TEXT NOT NULL REFERENCES products (id),
  quantity INTEGER NOT NULL DEFAULT 0,
  reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, warehouse_id, product_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE inventory_movements (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  warehouse_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  movement_type TEXT NOT NULL CHECK (movement_type IN
    ('opening', 'sale', 'return', 'reserve', 'release', 'fulfil', 'receive', 'adjust', 'count', 'transfer_out', 'transfer_in', 'sync_rebase')),
  quantity_delta INTEGER NOT NULL,
  reserved_delta INTEGER NOT NULL DEFAULT 0,
  reference_id TEXT,
  -- the outbox op that caused it: "effect of ops central has not applied yet" = movements of pending ops
  op_id TEXT,
  created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX inventory_movements_product ON inventory_movements (tenant_id, warehouse_id, product_id, id);
CREATE INDEX inventory_movements_op ON inventory_movements (op_id) WHERE op_id IS NOT NULL;
CREATE TRIGGER inventory_movements_no_update BEFORE UPDATE ON inventory_movements
BEGIN SELECT RAISE(ABORT, 'inventory_movements is append-only'); END;
CREATE TRIGGER inventory_movements_no_delete BEFORE DELETE ON inventory_movements
BEGIN SELECT RAISE(ABORT, 'inventory_movements is append-only'); END;

-- Per-device counters, bumped inside the operation's own transaction: a rolled-back
-- operation gives its numbers back, so receipt numbers and seqs have no gaps.
CREATE TABLE device_counters (
  device_id TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL DEFAULT 0,
  last_receipt_no INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE outbox (
  op_id TEXT PRIMARY KEY,
  device_id TEXT NOT NULL,
  seq INTEGER NOT NULL CHECK (seq >= 1),
  type TEXT NOT NULL CHECK (type IN
    ('sale', 'return', 'reserve', 'release', 'fulfil', 'receive', 'adjust', 'count', 'transfer_out', 'transfer_in')),
  payload TEXT NOT NULL,
  -- sha-256 of the canonical input: the same op id with another input is an op_conflict
  input_hash TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  -- what the operation returned locally, returned again when the op id is replayed
  local_result TEXT NOT NULL,
  sync_status TEXT NOT NULL DEFAULT 'pending' CHECK (sync_status IN ('pending', 'applied', 'refused')),
  sync_result TEXT,
  synced_at TEXT,
  UNIQUE (device_id, seq)
) STRICT, WITHOUT ROWID;
CREATE INDEX outbox_pending ON outbox (device_id, seq) WHERE sync_status = 'pending';

CREATE TABLE sales (
  id TEXT PRIMARY KEY,
  op_id TEXT NOT NULL,
  device_id TEXT NOT NULL,
  receipt_no INTEGER NOT NULL CHECK (receipt_no >= 1),
  actor_id TEXT NOT NULL,
  currency TEXT NOT NULL CHECK (currency IN ('USD', 'LBP')),
  net_minor INTEGER NOT NULL,
  tax_minor INTEGER NOT NULL,
  total_minor INTEGER NOT NULL,
  paid_minor INTEGER NOT NULL,
  change_minor INTEGER NOT NULL,
  lbp_per_usd INTEGER,
  line_count INTEGER NOT NULL CHECK (line_count >= 1),
  payment_count INTEGER NOT NULL,
  reservation_id TEXT,
  override_manager TEXT,
  override_reason TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (device_id, receipt_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE sale_lines (
  sale_id TEXT NOT NULL REFERENCES sales (id),
  line_no INTEGER NOT NULL,
  product_id TEXT NOT NULL REFERENCES products (id),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_minor INTEGER NOT NULL,
  tax_rate_bp INTEGER NOT NULL,
  line_total_minor INTEGER NOT NULL,
  tax_minor INTEGER NOT NULL,
  PRIMARY KEY (sale_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE payments (
  sale_id TEXT NOT NULL REFERENCES sales (id),
  payment_no INTEGER NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('cash', 'card')),
  currency TEXT NOT NULL CHECK (currency IN ('USD', 'LBP')),
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  reference TEXT,
  PRIMARY KEY (sale_id, payment_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE returns (
  id TEXT PRIMARY KEY,
  op_id TEXT NOT NULL,
  sale_id TEXT REFERENCES sales (id),
  actor_id TEXT NOT NULL,
  currency TEXT NOT NULL,
  total_refund_minor INTEGER NOT NULL,
  reason TEXT,
  created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX returns_sale ON returns (sale_id) WHERE sale_id IS NOT NULL;

CREATE TABLE return_lines (
  return_id TEXT NOT NULL REFERENCES returns (id),
  line_no INTEGER NOT NULL,
  product_id TEXT NOT NULL REFERENCES products (id),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  refund_minor INTEGER NOT NULL,
  PRIMARY KEY (return_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE reservations (
  id TEXT PRIMARY KEY,
  op_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  customer_name TEXT NOT NULL,
  customer_phone TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'held', 'refused', 'released', 'fulfilled')),
  expires_at TEXT,
  sale_id TEXT,
  closed_op_id TEXT,
  created_at TEXT NOT NULL,
  closed_at TEXT
) STRICT, WITHOUT ROWID;

CREATE TABLE reservation_lines (
  reservation_id TEXT NOT NULL REFERENCES reservations (id),
  line_no INTEGER NOT NULL,
  product_id TEXT NOT NULL REFERENCES products (id),
  quantity INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (reservation_id, line_no)
) STRICT, WITHOUT ROWID;

-- Goods received from suppliers (not to be confused with a sale's receipt number).
CREATE TABLE receipts (
  id TEXT PRIMARY KEY,
  op_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  source_kind TEXT NOT NULL CHECK (source_kind IN ('adhoc', 'purchase_order')),
  supplier TEXT,
  purchase_order_ref TEXT,
  created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE receipt_lines (
  receipt_id TEXT NOT NULL REFERENCES receipts (id),
  line_no INTEGER NOT NULL,
  product_id TEXT NOT NULL REFERENCES products (id),
  expected_quantity INTEGER,
  received_quantity INTEGER NOT NULL CHECK (received_quantity >= 0),
  PRIMARY KEY (receipt_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE adjustments (
  id TEXT PRIMARY KEY,
  op_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (reason IN ('damaged', 'expired', 'theft', 'found', 'correction')),
  note TEXT,
  approved_by TEXT,
  created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE adjustment_lines (
  adjustment_id TEXT NOT NULL REFERENCES adjustments (id),
  line_no INTEGER NOT NULL,
  product_id TEXT NOT NULL REFERENCES products (id),
  quantity_delta INTEGER NOT NULL CHECK (quantity_delta != 0),
  PRIMARY KEY (adjustment_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE counts (
  id TEXT PRIMARY KEY,
  op_id TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  scope TEXT,
  created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE count_lines (
  count_id TEXT NOT NULL REFERENCES counts (id),
  product_id TEXT NOT NULL REFERENCES products (id),
  expected INTEGER NOT NULL,
  counted INTEGER NOT NULL CHECK (counted >= 0),
  delta INTEGER NOT NULL,
  PRIMARY KEY (count_id, product_id)
) STRICT, WITHOUT ROWID;

-- Both directions: 'out' made here by transfer_out; 'in' known from central or
-- first seen when its goods arrive (transfer_in).
CREATE TABLE transfers (
  id TEXT PRIMARY KEY,
  direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
  from_warehouse_id TEXT NOT NULL,
  to_warehouse_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('in_transit', 'partially_received', 'received')),
  -- the transfer_out op (direction out); NULL for an incoming transfer
  op_id TEXT,
  -- the transfer_in op that received it here (direction in)
  received_op_id TEXT,
  actor_id TEXT,
  note TEXT,
  dispatched_at TEXT,
  received_at TEXT,
  created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX transfers_open ON transfers (direction, status);

CREATE TABLE transfer_lines (
  transfer_id TEXT NOT NULL REFERENCES transfers (id),
  product_id TEXT NOT NULL REFERENCES products (id),
  dispatched INTEGER,
  received INTEGER,
  PRIMARY KEY (transfer_id, product_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX transfer_lines_product ON transfer_lines (product_id);

CREATE TABLE discrepancies (
  id TEXT PRIMARY KEY,
  warehouse_id TEXT NOT NULL,
  product_id TEXT NOT NULL REFERENCES products (id),
  kind TEXT NOT NULL CHECK (kind IN ('negative_stock', 'short_receipt', 'over_receipt')),
  quantity INTEGER NOT NULL,
  reference_id TEXT,
  op_id TEXT,
  created_at TEXT NOT NULL,
  resolved_at TEXT
) STRICT, WITHOUT ROWID;
CREATE INDEX discrepancies_open ON discrepancies (resolved_at, id);
`;
