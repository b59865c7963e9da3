/** RLS for one tenant table: enabled, FORCEd (the owner too), rows of the transaction's tenant only. */
export function tenantPolicySql(table: string, tenantColumn = 'tenant_id'): string {
  const current = `NULLIF(current_setting('app.tenant_id', true), '')::uuid`;
  return `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
CREATE POLICY ${table}_tenant ON ${table} USING (${tenantColumn} = ${current}) WITH CHECK (${tenantColumn} = ${current});`;
}
