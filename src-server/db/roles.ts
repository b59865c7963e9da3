import type { Queryable } from './database';

/**
 * In PostgreSQL mode the server must run as a role that RLS applies to:
 * not a superuser, without BYPASSRLS, and owning none of the tables (FORCE
 * would still apply to an owner, but an owner can switch it off).
 */
export async function assertApplicationRole(q: Queryable): Promise<void> {
  const r = await q.query<{ name: string; rolsuper: boolean; rolbypassrls: boolean; owned: number }>(
    `SELECT current_user AS name, r.rolsuper, r.rolbypassrls,
            (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND pg_has_role(current_user, c.relowner, 'USAGE')) AS owned
       FROM pg_roles r WHERE r.rolname = current_user`);
  const row = r.rows[0];
  if (!row) throw new Error('cannot read the current role');
  const why: string[] = [];
  if (row.rolsuper) why.push('is a superuser');
  if (row.rolbypassrls) why.push('has BYPASSRLS');
  if (row.owned > 0) why.push(`owns (or is a member of the owner of) ${row.owned} table(s)`);
  if (why.length > 0) {
    throw new Error(`refusing to start: the database role "${row.name}" ${why.join(', ')}; row-level security would not isolate tenants. Connect DATABASE_URL as a plain application role and run migrations with the owner's URL (DATABASE_OWNER_URL).`);
  }
}

/**
 * The workers find tenants with pending work through SECURITY DEFINER functions
 * owned by the schema owner; that owner must bypass RLS or they find nothing.
 */
export async function assertDefinerBypassesRls(q: Queryable): Promise<void> {
  const r = await q.query<{ ok: boolean; owner: string }>(
    `SELECT (o.rolsuper OR o.rolbypassrls) AS ok, o.rolname AS owner
       FROM pg_proc p JOIN pg_roles o ON o.oid = p.proowner WHERE p.proname = 'bp_tenant_ids'`);
  const row = r.rows[0];
  if (row && !row.ok) {
    throw new Error(`refusing to start: the schema owner "${row.owner}" must have BYPASSRLS (ALTER ROLE ${row.owner} BYPASSRLS) so the background workers can find tenants with pending work`);
  }
}
