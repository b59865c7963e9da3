import { tenantPolicySql } from '../db/migrations/policy';

/*
 * Tables of the HTTP and administration side: branch-app users, enrollment
 * codes and the admin credential. Appended to the ordered migration list in
 * db/migrations/index.ts.
 */

const sql = `
CREATE TABLE branch_users (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id uuid NOT NULL,
  username text NOT NULL CHECK (username ~ '^[a-z0-9._-]{2,32}$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
  role text NOT NULL CHECK (role IN ('cashier', 'clerk', 'manager')),
  -- null: every warehouse of the tenant
  warehouse_id uuid,
  -- scrypt$N$r$p$salt$hash (salt per user), never the PIN
  pin_hash text NOT NULL CHECK (pin_hash LIKE 'scrypt$%'),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  change_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, username),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses(tenant_id, id)
);
CREATE TRIGGER branch_users_touch BEFORE UPDATE ON branch_users FOR EACH ROW EXECUTE FUNCTION bp_touch();

CREATE TABLE enrollment_codes (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id uuid NOT NULL,
  warehouse_id uuid NOT NULL,
  code_hash text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  device_id uuid,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code_hash),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses(tenant_id, id),
  CHECK (expires_at <= created_at + interval '15 minutes')
);
-- For bp_enrollment_tenant only: the one lookup that does not start from a tenant.
CREATE INDEX enrollment_codes_hash ON enrollment_codes (code_hash) WHERE used_at IS NULL;

-- Maps the hash of a live (unused, unexpired) code to its tenant, and nothing
-- more. SECURITY DEFINER as the schema owner (which bypasses RLS, see
-- db/roles.ts) because the enrolling terminal does not know its tenant yet.
-- Ambiguity (two tenants with one hash, 2^-60) answers null rather than guess.
CREATE FUNCTION bp_enrollment_tenant(p_code_hash text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT CASE WHEN count(*) = 1 THEN min(tenant_id::text)::uuid END
    FROM enrollment_codes
   WHERE code_hash = p_code_hash AND used_at IS NULL AND expires_at > now()
$$;

-- For /metrics: events not yet applied by the outbox worker, across tenants
-- (a count and nothing else, hence SECURITY DEFINER like the lookup above).
CREATE FUNCTION bp_outbox_backlog() RETURNS bigint
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT count(*) FROM outbox WHERE processed_at IS NULL AND failed_at IS NULL
$$;

-- The admin credential is not tenant data: it is visible only in a
-- transaction with no tenant set, so no tenant-scoped query can ever read it.
CREATE TABLE admin_credentials (
  id smallint PRIMARY KEY CHECK (id = 1),
  token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE admin_credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE admin_credentials FORCE ROW LEVEL SECURITY;
CREATE POLICY admin_credentials_no_tenant ON admin_credentials
  USING (NULLIF(current_setting('app.tenant_id', true), '') IS NULL)
  WITH CHECK (NULLIF(current_setting('app.tenant_id', true), '') IS NULL);

${tenantPolicySql('branch_users')}
${tenantPolicySql('enrollment_codes')}
`;

export function adminMigration(version: number) {
  return { version, name: 'admin', sql };
}
