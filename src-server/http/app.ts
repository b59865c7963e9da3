import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { ServerConfig } from '../config';
import type { Database } from '../db/database';
import { currentVersion, latestVersion } from '../db/migrate';
import { readStoredAdminHash } from '../admin/admin-token';
import { hashToken } from '../devices/tokens';
import { purchaseOrderRoutes } from './admin-po-routes';
import { adminRoutes } from './admin-routes';
import { adminHook, deviceHook } from './auth';
import { gzipLargeResponses } from './compress';
import { deviceRoutes } from './device-routes';
import { errorHandler, STATUS_BY_CODE } from './errors';
import { healthRoutes } from './health-routes';
import { syncRoutes } from './sync-routes';
import { Metrics } from './metrics';
import type { AuthHooks } from './route';

const ADMIN_HASH_TTL_MS = 10_000;

export interface AppDeps {
  db: Database;
  config: ServerConfig;
  metrics?: Metrics;
  /** A pino logger to share with the rest of the process; else one at config.logLevel. */
  logger?: FastifyBaseLogger;
}

/**
 * The HTTP service: routes, auth, error mapping, docs and probes. Building it
 * touches nothing (no database access until a request), so tests and the
 * entry point decide when to listen.
 */
export function buildApp({ db, config, metrics = new Metrics(), logger }: AppDeps): FastifyInstance {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: { level: config.logLevel } }),
    bodyLimit: config.bodyLimitBytes,
    // Fastify's default (0) would switch off Node's guard against clients that never finish a request.
    requestTimeout: 120_000,
    trustProxy: config.trustProxy,
    // While closing: new requests get 503, idle keep-alive sockets are closed,
    // requests in flight run to the end.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Ids and keys are case-sensitive; a trailing slash is a typo we forgive.
    routerOptions: { ignoreTrailingSlash: true },
    // The router's own refusals (bad URL encoding, over-long path segment) in our error format too.
    frameworkErrors: (e, _req, reply) => {
      void (reply as unknown as FastifyReply).status(e.statusCode ?? 400).type('application/json').send({ code: 'validation', message: e.message });
    },
  }) as unknown as FastifyInstance;

  // zod validates (in route.ts); the JSON Schemas only document. Responses are
  // plain JSON.stringify so a schema can never silently drop a field.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  gzipLargeResponses(app);
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  metrics.addGauge({
    name: 'branchpos_outbox_backlog',
    help: 'Outbox events not yet applied (pending or waiting for a retry).',
    read: async () => Number((await db.withoutTenant((tx) => tx.query<{ n: string }>('SELECT bp_outbox_backlog()::text AS n'))).rows[0]?.n),
  });

  const envAdminHash = config.adminToken ? hashToken(config.adminToken) : null;
  // A stored token is re-read every 10 s at most: a rotation by another
  // server process on the same database takes effect here within that time.
  let stored: { hash: string | null; at: number } = { hash: null, at: 0 };
  const hooks: AuthHooks = {
    device: deviceHook(db),
    admin: adminHook(async () => {
      if (envAdminHash) return envAdminHash;
      if (!stored.hash || Date.now() - stored.at > ADMIN_HASH_TTL_MS) stored = { hash: await readStoredAdminHash(db), at: Date.now() };
      return stored.hash;
    }),
  };

  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'branchpos central API',
        version: '1',
        description: [
          'Sync for branch terminals (device token) and administration (admin token).',
          'Every error is JSON `{ code, message, details? }`; the status follows the code:',
          '',
          '| code | status |',
          '|---|---|',
          ...Object.entries(STATUS_BY_CODE).map(([code, status]) => `| ${code} | ${status} |`),
        ].join('\n'),
      },
      components: {
        securitySchemes: {
          adminToken: { type: 'http', scheme: 'bearer', description: 'BRANCHPOS_ADMIN_TOKEN or the token printed at first start' },
          deviceToken: { type: 'http', scheme: 'bearer', description: 'bpd.<tenant>.<device>.<secret>, from POST /v1/devices/enroll' },
        },
      },
    },
  });
  void app.register(swaggerUi, { routePrefix: '/docs' });

  // Routes in a plugin registered after swagger, so its onRoute hook sees them all.
  void app.register(async (scope) => {
    healthRoutes(scope, db, metrics, async () => {
      await db.ping();
      const version = await db.withoutTenant((tx) => currentVersion(tx));
      if (version !== latestVersion()) throw new Error(`schema version ${version}, this server needs ${latestVersion()}`);
    });
    scope.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    syncRoutes(scope, hooks, db, metrics);
    deviceRoutes(scope, hooks, db, metrics, { perIpPerMinute: config.enrollPerIpPerMinute });
    adminRoutes(scope, hooks, db);
    purchaseOrderRoutes(scope, hooks, db);
  });

  return app;
}
