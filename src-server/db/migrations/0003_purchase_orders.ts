import { tenantPolicySql } from './policy';

/*
 * Purchase orders: what central ordered from a supplier for one warehouse. The
 * till pulls the open ones of its warehouse and receives them by `ref` (the
 * receive op's purchaseOrderRef). Lines never change after creation, so the
 * order's own change_xid (kept current by bp_touch) is enough for pull to send
 * the order with its lines whenever its status moves.
 */
const sql = `
CREATE TABLE purchase_orders (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  ref text NOT NULL CHECK (length(ref) BETWEEN 1 AND 64),
  supplier text NOT NULL CHECK (length(supplier) BETWEEN 1 AND 120),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'received', 'cancelled')),
  expected_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  -- the receive op that closed it, for tracing a PO to its receipt
  receipt_id uuid,
  change_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, ref),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses(tenant_id, id),
  CHECK ((status = 'open') = (closed_at IS NULL))
);
CREATE INDEX purchase_orders_warehouse_change ON purchase_orders (tenant_id, warehouse_id, change_xid);
CREATE TRIGGER purchase_orders_touch BEFORE UPDATE ON purchase_orders FOR EACH ROW EXECUTE FUNCTION bp_touch();

CREATE TABLE purchase_order_lines (
  tenant_id uuid NOT NULL,
  purchase_order_id uuid NOT NULL,
  product_id uuid NOT NULL,
  ordered integer NOT NULL CHECK (ordered > 0),
  PRIMARY KEY (tenant_id, purchase_order_id, product_id),
  FOREIGN KEY (tenant_id, purchase_order_id) REFERENCES purchase_orders(tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products(tenant_id, id)
);

${tenantPolicySql('purchase_orders')}
${tenantPolicySql('purchase_order_lines')}
`;

export function purchaseOrdersMigration(version: number) {
  return { version, name: 'purchase orders', sql };
}
