import { DomainError } from '../../src-shared/errors';

/*
 * The one way the server touches its database. Every tenant query runs inside
 * `withTenant`, which sets `app.tenant_id` for that transaction only, so the
 * row-level security policies (FORCEd on every table) filter by tenant even if
 * a query forgets to.
 */

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
}

/** Optional, additive: a read that must see one snapshot across statements (sync pull). */
export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read';
  readOnly?: boolean;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  /** BEGIN; SELECT set_config('app.tenant_id', $1, true); fn(tx); COMMIT; rolls back on throw. */
  withTenant<T>(tenantId: string, fn: (tx: Queryable) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /** A transaction with no tenant set: under RLS it sees no tenant rows (used for health checks and SECURITY DEFINER lookups). */
  withoutTenant<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * One statement in a transaction of its own, in one round trip, with no
   * tenant set: row-level security shows it nothing unless the statement sets
   * the tenant for its own reads, as bp_inventory_summary_json does
   * (migration 6). Never call it from inside withTenant's callback: on PGlite
   * it would wait for that very transaction to end.
   */
  statement<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL URL of the application role (not owner, not superuser, no BYPASSRLS). Absent: embedded PGlite. */
  databaseUrl?: string;
  /** PostgreSQL URL of the role that owns the schema; migrations run over it when given. */
  ownerUrl?: string;
  /** PGlite data folder; absent means in memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const { openPostgres } = await import('./postgres');
    return openPostgres(opts.databaseUrl, opts.ownerUrl, opts.poolSize);
  }
  const { openPglite } = await import('./pglite');
  return openPglite(opts.dataDir);
}

export function transactionModes(opts: TransactionOptions | undefined): string {
  const modes: string[] = [];
  if (opts?.isolation === 'repeatable read') modes.push('ISOLATION LEVEL REPEATABLE READ');
  if (opts?.readOnly) modes.push('READ ONLY');
  return modes.join(' ');
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed tenant id would make the RLS cast fail inside the database; refuse it up front as bad input. */
export function assertTenantId(tenantId: string): void {
  if (!UUID_RE.test(tenantId)) throw new DomainError('validation', 'tenant id is not a uuid');
}
