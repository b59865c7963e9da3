/*
 * The inventory summary page as one call: bp_inventory_summary_json sets the
 * tenant for its own reads, then builds the page's JSON text
 * (the folded rows FULL JOINed to the summed unfolded deltas, as
 * src-server/reports/summary.ts reads them as rows). Sent on its own, outside
 * an explicit transaction, it is one round trip instead of three (BEGIN and
 * the tenant, the query, COMMIT); on a shared two-core machine each round
 * trip to PostgreSQL has a tail of several milliseconds, and the three of them
 * made most of the report's p99. PL/pgSQL also keeps the query's plan.
 *
 * SECURITY INVOKER: row-level security applies to every row it reads, with
 * the tenant it was given. Inside a transaction that already works for
 * another tenant it refuses to run, and before returning it puts back what
 * the transaction had (no tenant, or that same one), so it never changes the
 * tenant of a statement after it. It returns NULL for a tenant that does not
 * exist (so the route can answer 404), and '[]' for a tenant with nothing
 * stocked.
 */
const sql = `
CREATE FUNCTION bp_inventory_summary_json(p_tenant uuid, p_product uuid, p_after uuid, p_limit int)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  current_tenant text := NULLIF(current_setting('app.tenant_id', true), '');
  body text;
BEGIN
  IF p_tenant IS NULL THEN
    RAISE EXCEPTION 'bp_inventory_summary_json: no tenant given' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF current_tenant IS NOT NULL AND current_tenant::uuid IS DISTINCT FROM p_tenant THEN
    RAISE EXCEPTION 'bp_inventory_summary_json: the transaction works for another tenant' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('app.tenant_id', p_tenant::text, true);
  SELECT coalesce('[' || string_agg(
           '{"productId":"' || m.product_id || '","quantity":' || m.quantity || ',"reserved":' || m.reserved
           || ',"available":' || (m.quantity - m.reserved) || ',"inTransit":' || m.in_transit
           || ',"warehouseCount":' || m.warehouse_count || '}', ',' ORDER BY m.product_id) || ']', '[]')
    INTO body
    FROM (
      SELECT product_id,
             coalesce(s.quantity, 0) + coalesce(d.quantity, 0) AS quantity,
             coalesce(s.reserved, 0) + coalesce(d.reserved, 0) AS reserved,
             coalesce(s.in_transit, 0) + coalesce(d.in_transit, 0) AS in_transit,
             coalesce(s.warehouse_count, 0) + coalesce(d.warehouse_count, 0) AS warehouse_count
        FROM (SELECT x.product_id, x.quantity, x.reserved, x.in_transit, x.warehouse_count FROM inventory_summary x
               WHERE x.tenant_id = p_tenant AND (p_product IS NULL OR x.product_id = p_product) AND (p_after IS NULL OR x.product_id > p_after)) s
        FULL JOIN (SELECT y.product_id, sum(y.quantity) AS quantity, sum(y.reserved) AS reserved,
                          sum(y.in_transit) AS in_transit, sum(y.warehouse_count) AS warehouse_count
                     FROM inventory_summary_deltas y
                    WHERE y.tenant_id = p_tenant AND (p_product IS NULL OR y.product_id = p_product) AND (p_after IS NULL OR y.product_id > p_after)
                    GROUP BY y.product_id) d USING (product_id)
       ORDER BY product_id LIMIT p_limit
    ) m;
  IF body = '[]' AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = p_tenant) THEN
    body := NULL;
  END IF;
  PERFORM set_config('app.tenant_id', coalesce(current_tenant, ''), true);
  RETURN body;
END $$;
`;

export function inventorySummaryFunctionMigration(version: number) {
  return { version, name: 'bp_inventory_summary_json: the summary page in one round trip', sql };
}
