import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DomainError, parseOrThrow } from '../src-shared/errors';

/*
 * Every server setting, from a flag or the environment (a flag wins), checked
 * by one schema so a typo in a port or a URL stops the server at start with a
 * message naming the setting, instead of failing later under load.
 */

const Bool = z.union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])])
  .transform((v) => (typeof v === 'boolean' ? v : ['1', 'true', 'yes', 'on'].includes(v)));
const Int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const PgUrl = z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL');

export const ServerConfig = z.object({
  port: Int(0, 65535).default(8080),
  /** Loopback by default: exposing the API is a decision (`--host 0.0.0.0` behind TLS), not an accident. */
  host: z.string().min(1).default('127.0.0.1'),
  /** The application role's URL. Absent: embedded PGlite in `dataDir`. */
  databaseUrl: PgUrl.optional(),
  /** The schema owner's URL, used only to migrate at start. */
  ownerUrl: PgUrl.optional(),
  /** PGlite's data folder; null = in memory (tests only). */
  dataDir: z.string().min(1).nullable(),
  /** When set, the admin token; otherwise one is generated at first start and stored hashed. */
  adminToken: z.string().min(24, 'at least 24 characters').optional(),
  /** Replace the stored admin token with a new one, printed once (a lost or leaked token). */
  rotateAdminToken: Bool.default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  outboxWorker: Bool.default(true),
  outboxIntervalMs: Int(10, 3_600_000).default(1000),
  /** Folds the inventory summary's deltas in the background (reads stay exact without it, only slower). */
  summaryFold: Bool.default(true),
  summaryFoldIntervalMs: Int(10, 3_600_000).default(1000),
  bodyLimitBytes: Int(1024, 64 * 1024 * 1024).default(8 * 1024 * 1024),
  poolSize: Int(1, 200).default(10),
  /** How long shutdown waits for requests in flight before closing anyway. */
  shutdownTimeoutMs: Int(100, 600_000).default(10_000),
  /** Enrollment attempts allowed per client IP per minute. */
  enrollPerIpPerMinute: Int(1, 10_000).default(10),
  /** Behind a reverse proxy, take the client IP from X-Forwarded-For (needed for per-IP limits). */
  trustProxy: Bool.default(false),
});
export type ServerConfig = z.infer<typeof ServerConfig>;

/** Where the embedded database lives when no --data-dir is given: the user's data folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'branchpos', 'server');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'branchpos', 'server');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'branchpos', 'server');
}

const flags = {
  port: { type: 'string' },
  host: { type: 'string' },
  'database-url': { type: 'string' },
  'owner-url': { type: 'string' },
  'data-dir': { type: 'string' },
  'log-level': { type: 'string' },
  'outbox-worker': { type: 'boolean' },
  'no-outbox-worker': { type: 'boolean' },
  'outbox-interval-ms': { type: 'string' },
  'no-summary-fold': { type: 'boolean' },
  'summary-fold-interval-ms': { type: 'string' },
  'body-limit': { type: 'string' },
  'pool-size': { type: 'string' },
  'shutdown-timeout-ms': { type: 'string' },
  'enroll-per-ip-per-minute': { type: 'string' },
  'trust-proxy': { type: 'boolean' },
  'rotate-admin-token': { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

export const USAGE = `branchpos central API

  npm run server -- [flags]

  --port N                    PORT                          (8080)
  --host ADDR                 HOST                          (127.0.0.1)
  --database-url URL          DATABASE_URL                  application role; absent = embedded PGlite
  --owner-url URL             DATABASE_OWNER_URL            schema owner, used to migrate at start
  --data-dir DIR              BRANCHPOS_DATA_DIR            PGlite data (default: the user's data folder)
                              BRANCHPOS_ADMIN_TOKEN         admin token (else generated at first start)
  --rotate-admin-token                                      replace the stored admin token, print the new one
  --log-level LEVEL           LOG_LEVEL                     (info)
  --[no-]outbox-worker        BRANCHPOS_OUTBOX_WORKER       (on)
  --outbox-interval-ms N      BRANCHPOS_OUTBOX_INTERVAL_MS  (1000)
  --no-summary-fold           BRANCHPOS_SUMMARY_FOLD        (on)
  --summary-fold-interval-ms  BRANCHPOS_SUMMARY_FOLD_INTERVAL_MS (1000)
  --body-limit BYTES          BRANCHPOS_BODY_LIMIT          (8388608)
  --pool-size N               DATABASE_POOL_SIZE            (10)
  --shutdown-timeout-ms N     BRANCHPOS_SHUTDOWN_TIMEOUT_MS (10000)
  --enroll-per-ip-per-minute  BRANCHPOS_ENROLL_PER_IP_PER_MINUTE (10)
  --trust-proxy               BRANCHPOS_TRUST_PROXY         (off)

  On PostgreSQL, DATABASE_URL must be a plain role (not superuser, no BYPASSRLS,
  owning no tables) so row-level security isolates tenants; the server refuses
  to start otherwise. DATABASE_OWNER_URL (the schema owner, with BYPASSRLS for
  the background workers' cross-tenant lookups) migrates at start.

  Once running: /docs (API reference), /openapi.json, /healthz, /readyz, /metrics.
`;

/** Reads flags then the environment; throws a `validation` DomainError naming the bad setting. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ServerConfig | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options: flags, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new DomainError('validation', `invalid command line: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (values.help) return 'help';
  const pick = (flag: string, ...names: string[]): string | boolean | undefined => {
    if (values[flag] !== undefined) return values[flag];
    for (const n of names) {
      const v = env[n];
      if (v !== undefined && v !== '') return v;
    }
    return undefined;
  };
  const outboxWorker = values['no-outbox-worker'] ? false : pick('outbox-worker', 'BRANCHPOS_OUTBOX_WORKER');
  const databaseUrl = pick('database-url', 'DATABASE_URL');
  const raw = {
    port: pick('port', 'PORT', 'BRANCHPOS_PORT'),
    host: pick('host', 'HOST', 'BRANCHPOS_HOST'),
    databaseUrl,
    ownerUrl: pick('owner-url', 'DATABASE_OWNER_URL'),
    // The data folder matters only for PGlite; with a PostgreSQL URL it is not used.
    dataDir: databaseUrl ? null : (pick('data-dir', 'BRANCHPOS_DATA_DIR') ?? defaultDataDir(env)),
    adminToken: env.BRANCHPOS_ADMIN_TOKEN || undefined,
    logLevel: pick('log-level', 'LOG_LEVEL'),
    outboxWorker,
    outboxIntervalMs: pick('outbox-interval-ms', 'BRANCHPOS_OUTBOX_INTERVAL_MS'),
    summaryFold: values['no-summary-fold'] ? false : pick('summary-fold', 'BRANCHPOS_SUMMARY_FOLD'),
    summaryFoldIntervalMs: pick('summary-fold-interval-ms', 'BRANCHPOS_SUMMARY_FOLD_INTERVAL_MS'),
    bodyLimitBytes: pick('body-limit', 'BRANCHPOS_BODY_LIMIT'),
    poolSize: pick('pool-size', 'DATABASE_POOL_SIZE'),
    shutdownTimeoutMs: pick('shutdown-timeout-ms', 'BRANCHPOS_SHUTDOWN_TIMEOUT_MS'),
    enrollPerIpPerMinute: pick('enroll-per-ip-per-minute', 'BRANCHPOS_ENROLL_PER_IP_PER_MINUTE'),
    trustProxy: pick('trust-proxy', 'BRANCHPOS_TRUST_PROXY'),
    rotateAdminToken: values['rotate-admin-token'] ?? false,
  };
  return parseOrThrow(ServerConfig, raw, 'server setting');
}

/** A config for tests and embedding: defaults plus overrides, in-memory PGlite unless told otherwise. */
export function makeConfig(overrides: Partial<z.input<typeof ServerConfig>> = {}): ServerConfig {
  return ServerConfig.parse({ dataDir: null, logLevel: 'silent', outboxWorker: false, summaryFold: false, ...overrides });
}

function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.toString();
  } catch {
    return '****';
  }
}

/** The settings as printed at start: secrets masked, so the log can be shared. */
export function describeConfig(c: ServerConfig): Record<string, unknown> {
  return {
    ...c,
    databaseUrl: c.databaseUrl ? maskUrl(c.databaseUrl) : undefined,
    ownerUrl: c.ownerUrl ? maskUrl(c.ownerUrl) : undefined,
    adminToken: c.adminToken ? '**** (from BRANCHPOS_ADMIN_TOKEN)' : '(stored hash)',
    database: c.databaseUrl ? 'postgres' : `pglite (${c.dataDir ?? 'in memory'})`,
  };
}
