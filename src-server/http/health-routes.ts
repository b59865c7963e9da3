import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database';
import type { Metrics } from './metrics';

/*
 * Probes for the orchestrator. /healthz: the process answers (restart it if
 * not). /readyz: the database answers within a short time (stop routing to
 * this instance if not; a restart would not help). Both stay out of the
 * OpenAPI document: they are for machines, not clients.
 */

const READY_TIMEOUT_MS = 2000;

export function healthRoutes(app: FastifyInstance, db: Database, metrics: Metrics, ready: () => Promise<void>): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (req, reply) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        ready(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`database did not answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
        }),
      ]);
      return { status: 'ready', database: db.kind };
    } catch (e) {
      req.log.warn({ err: e }, 'not ready');
      return reply.status(503).send({ code: 'unavailable', message: `not ready: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      clearTimeout(timer);
    }
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(await metrics.render()));
}
