import { tenantPolicySql } from './policy';

/*
 * The core schema of issue 3. Every key leads with tenant_id so the tables can
 * be distributed by tenant later; row-level security is added for every table
 * by `tenantPolicies` below (RLS enabled and FORCEd).
 *
 * `change_xid` stamps a row with the transaction that last changed it; pull
 * pages by it up to the snapshot's xmin, so a change committed late by a slow
 * transaction is never skipped (a plain sequence would be).
 */
export const tenantTables = [
  'tenants', 'warehouses', 'products', 'exchange_rates', 'devices', 'applied_ops',
  'inventory_levels', 'inventory_movements', 'sales', 'returns', 'receipts', 'adjustments', 'counts',
  'reservations', 'reservation_lines', 'transfers', 'transfer_lines', 'transfer_receipts',
  'discrepancies', 'follow_ups', 'outbox', 'notifications', 'inventory_summary', 'inventory_summary_deltas',
] as const;

/** Tables whose changes a device pulls: each has change_xid kept current by the touch trigger. */
const pulledTables = [
  'warehouses', 'products', 'exchange_rates', 'inventory_levels', 'transfers', 'reservations', 'discrepancies', 'follow_ups',
];

const CHANGE = `change_xid xid8 NOT NULL DEFAULT pg_current_xact_id()`;

const tables = `
CREATE FUNCTION bp_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_xid := pg_current_xact_id();
  RETURN NEW;
END $$;

CREATE FUNCTION bp_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE warehouses (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id uuid NOT NULL,
  code text NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  kind text NOT NULL CHECK (kind IN ('store', 'warehouse')),
  timezone text NOT NULL DEFAULT 'Asia/Beirut',
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  ${CHANGE},
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);

CREATE TABLE products (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id uuid NOT NULL,
  sku text NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
  barcodes text[] NOT NULL DEFAULT '{}',
  name_en text NOT NULL,
  name_ar text NOT NULL DEFAULT '',
  price_minor bigint NOT NULL CHECK (price_minor >= 0),
  currency text NOT NULL CHECK (currency IN ('USD', 'LBP')),
  tax_class text NOT NULL CHECK (tax_class IN ('standard', 'reduced', 'zero', 'exempt')),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  ${CHANGE},
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, sku)
);
CREATE INDEX products_barcodes ON products USING gin (barcodes);
CREATE INDEX products_change ON products (tenant_id, change_xid);
CREATE INDEX warehouses_change ON warehouses (tenant_id, change_xid);

CREATE TABLE exchange_rates (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  currency text NOT NULL CHECK (currency = 'LBP'),
  per_usd bigint NOT NULL CHECK (per_usd >= 1),
  effective_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  ${CHANGE},
  PRIMARY KEY (tenant_id, currency, effective_at)
);
CREATE INDEX exchange_rates_change ON exchange_rates (tenant_id, change_xid);

CREATE TABLE devices (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  name text NOT NULL DEFAULT '',
  token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  last_applied_seq bigint NOT NULL DEFAULT 0 CHECK (last_applied_seq >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses(tenant_id, id)
);

CREATE TABLE applied_ops (
  tenant_id uuid NOT NULL,
  op_id uuid NOT NULL,
  device_id uuid NOT NULL,
  seq bigint NOT NULL CHECK (seq >= 1),
  type text NOT NULL,
  payload_hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'refused')),
  result jsonb NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  ${CHANGE},
  PRIMARY KEY (tenant_id, op_id),
  UNIQUE (tenant_id, device_id, seq),
  FOREIGN KEY (tenant_id, device_id) REFERENCES devices(tenant_id, id)
);

CREATE TABLE inventory_levels (
  tenant_id uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  product_id uuid NOT NULL,
  quantity integer NOT NULL DEFAULT 0,
  reserved integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  -- stock dispatched to this warehouse and not yet received (expected inbound)
  in_transit integer NOT NULL DEFAULT 0 CHECK (in_transit >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  ${CHANGE},
  PRIMARY KEY (tenant_id, warehouse_id, product_id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses(tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products(tenant_id, id)
);
CREATE INDEX inventory_levels_product ON inventory_levels (tenant_id, product_id);
CREATE INDEX inventory_levels_change ON inventory_levels (tenant_id, change_xid);

CREATE TABLE inventory_movements (
  tenant_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  warehouse_id uuid NOT NULL,
  product_id uuid NOT NULL,
  quantity_delta integer NOT NULL,
  reserved_delta integer NOT NULL DEFAULT 0,
  in_transit_delta integer NOT NULL DEFAULT 0,
  movement_type text NOT NULL CHECK (movement_type IN
    ('opening', 'sale', 'return', 'reserve', 'release', 'fulfil', 'receive', 'adjust', 'count', 'transfer_out', 'transfer_in', 'transfer_announce', 'central_transfer', 'sync_rebase')),
  reference_id uuid,
  op_id uuid,
  device_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX inventory_movements_tenant ON inventory_movements (tenant_id, product_id, created_at DESC);
CREATE TRIGGER inventory_movements_append_only BEFORE UPDATE OR DELETE ON inventory_movements
  FOR EACH ROW EXECUTE FUNCTION bp_refuse_change();
CREATE TRIGGER inventory_movements_no_truncate BEFORE TRUNCATE ON inventory_movements
  FOR EACH STATEMENT EXECUTE FUNCTION bp_refuse_change();

CREATE TABLE sales (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  device_id uuid,
  op_id uuid,
  receipt_no integer,
  currency text NOT NULL,
  total_minor bigint NOT NULL,
  -- fulfilled reservation, when the sale is a pickup
  reservation_id uuid,
  payload jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE returns (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  device_id uuid NOT NULL,
  op_id uuid NOT NULL,
  sale_id uuid,
  payload jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE receipts (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  device_id uuid NOT NULL,
  op_id uuid NOT NULL,
  payload jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE adjustments (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  device_id uuid NOT NULL,
  op_id uuid NOT NULL,
  reason text NOT NULL,
  payload jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE counts (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  device_id uuid NOT NULL,
  op_id uuid NOT NULL,
  payload jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE reservations (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  device_id uuid NOT NULL,
  op_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('held', 'refused', 'released', 'fulfilled')),
  customer jsonb NOT NULL,
  reason text,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  ${CHANGE},
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX reservations_warehouse_change ON reservations (tenant_id, warehouse_id, change_xid);

CREATE TABLE reservation_lines (
  tenant_id uuid NOT NULL,
  reservation_id uuid NOT NULL,
  product_id uuid NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (tenant_id, reservation_id, product_id),
  FOREIGN KEY (tenant_id, reservation_id) REFERENCES reservations(tenant_id, id)
);

CREATE TABLE transfers (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  from_warehouse_id uuid NOT NULL,
  to_warehouse_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('in_transit', 'partially_received', 'received')),
  note text,
  op_id uuid,
  device_id uuid,
  dispatched_at timestamptz NOT NULL,
  -- set by the outbox worker once the destination's expected inbound was credited
  announced_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  ${CHANGE},
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, from_warehouse_id) REFERENCES warehouses(tenant_id, id),
  FOREIGN KEY (tenant_id, to_warehouse_id) REFERENCES warehouses(tenant_id, id),
  CHECK (from_warehouse_id <> to_warehouse_id)
);
CREATE INDEX transfers_to ON transfers (tenant_id, to_warehouse_id, change_xid);
CREATE INDEX transfers_from ON transfers (tenant_id, from_warehouse_id, change_xid);

CREATE TABLE transfer_lines (
  tenant_id uuid NOT NULL,
  transfer_id uuid NOT NULL,
  product_id uuid NOT NULL,
  dispatched integer NOT NULL CHECK (dispatched > 0),
  received integer NOT NULL DEFAULT 0 CHECK (received >= 0),
  -- what this line currently adds to the destination's in_transit; never above what is outstanding
  in_transit integer NOT NULL DEFAULT 0 CHECK (in_transit >= 0),
  PRIMARY KEY (tenant_id, transfer_id, product_id),
  FOREIGN KEY (tenant_id, transfer_id) REFERENCES transfers(tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products(tenant_id, id)
);

-- A transfer_in that reached central before its transfer_out: held until the dispatch arrives.
CREATE TABLE transfer_receipts (
  tenant_id uuid NOT NULL,
  op_id uuid NOT NULL,
  transfer_id uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  from_warehouse_id uuid NOT NULL,
  lines jsonb NOT NULL,
  received_at timestamptz NOT NULL,
  matched_at timestamptz,
  PRIMARY KEY (tenant_id, op_id)
);
CREATE INDEX transfer_receipts_held ON transfer_receipts (tenant_id, transfer_id) WHERE matched_at IS NULL;

CREATE TABLE discrepancies (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  product_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('negative_stock', 'short_receipt', 'over_receipt')),
  quantity integer NOT NULL,
  reference_id uuid,
  op_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  resolved_by text,
  ${CHANGE},
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX discrepancies_warehouse ON discrepancies (tenant_id, warehouse_id, change_xid);
CREATE INDEX discrepancies_open ON discrepancies (tenant_id, created_at) WHERE resolved_at IS NULL;

CREATE TABLE follow_ups (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  reservation_id uuid NOT NULL,
  customer jsonb NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  closed_by text,
  ${CHANGE},
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, reservation_id)
);
CREATE INDEX follow_ups_warehouse ON follow_ups (tenant_id, warehouse_id, change_xid);
CREATE INDEX follow_ups_open ON follow_ups (tenant_id, created_at) WHERE closed_at IS NULL;

CREATE TABLE outbox (
  tenant_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  processed_at timestamptz,
  processed_by text,
  failed_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outbox_pending ON outbox (tenant_id, next_attempt_at, id) WHERE processed_at IS NULL AND failed_at IS NULL;

CREATE TABLE notifications (
  tenant_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  outbox_id bigint NOT NULL,
  kind text NOT NULL,
  warehouse_id uuid,
  reference_id uuid,
  body jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, outbox_id)
);

-- Per tenant and product; exact when read together with the unfolded deltas.
CREATE TABLE inventory_summary (
  tenant_id uuid NOT NULL,
  product_id uuid NOT NULL,
  quantity bigint NOT NULL DEFAULT 0,
  reserved bigint NOT NULL DEFAULT 0,
  in_transit bigint NOT NULL DEFAULT 0,
  warehouse_count integer NOT NULL DEFAULT 0,
  folded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, product_id)
);

-- Insert-only: one row per level change, so warehouses selling one product never wait on a shared row.
CREATE TABLE inventory_summary_deltas (
  tenant_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  product_id uuid NOT NULL,
  quantity integer NOT NULL,
  reserved integer NOT NULL,
  in_transit integer NOT NULL,
  warehouse_count integer NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX inventory_summary_deltas_product ON inventory_summary_deltas (tenant_id, product_id);

CREATE FUNCTION bp_levels_summary_delta() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  dq integer := NEW.quantity - CASE WHEN TG_OP = 'UPDATE' THEN OLD.quantity ELSE 0 END;
  dr integer := NEW.reserved - CASE WHEN TG_OP = 'UPDATE' THEN OLD.reserved ELSE 0 END;
  dt integer := NEW.in_transit - CASE WHEN TG_OP = 'UPDATE' THEN OLD.in_transit ELSE 0 END;
  dw integer := (NEW.quantity > 0)::integer - CASE WHEN TG_OP = 'UPDATE' THEN (OLD.quantity > 0)::integer ELSE 0 END;
BEGIN
  IF dq <> 0 OR dr <> 0 OR dt <> 0 OR dw <> 0 THEN
    INSERT INTO inventory_summary_deltas (tenant_id, product_id, quantity, reserved, in_transit, warehouse_count)
    VALUES (NEW.tenant_id, NEW.product_id, dq, dr, dt, dw);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER inventory_levels_summary_delta AFTER INSERT OR UPDATE ON inventory_levels
  FOR EACH ROW EXECUTE FUNCTION bp_levels_summary_delta();
CREATE TRIGGER inventory_levels_no_delete BEFORE DELETE ON inventory_levels
  FOR EACH ROW EXECUTE FUNCTION bp_refuse_change();

-- Cross-tenant discovery for the background workers and admin lists. SECURITY DEFINER:
-- they run as the schema owner, which must be able to bypass RLS (see db/roles.ts).
CREATE FUNCTION bp_tenant_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT id FROM tenants ORDER BY id $$;
CREATE FUNCTION bp_tenants_with_pending_outbox() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT DISTINCT tenant_id FROM outbox WHERE processed_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now() $$;
CREATE FUNCTION bp_tenants_with_summary_deltas() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
  $$ SELECT DISTINCT tenant_id FROM inventory_summary_deltas $$;
`;

function tenantPolicies(): string {
  return tenantTables.map((t) => tenantPolicySql(t, t === 'tenants' ? 'id' : 'tenant_id')).join('\n');
}

function touchTriggers(): string {
  return pulledTables.map((t) => `CREATE TRIGGER ${t}_touch BEFORE UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION bp_touch();`).join('\n');
}

export const migration0001 = { version: 1, name: 'core', sql: `${tables}\n${tenantPolicies()}\n${touchTriggers()}\n` };
