import type { FastifyInstance } from 'fastify';
import { DomainError, isDomainError } from '../../src-shared/errors';
import { PullQuery, PullResponse, PushRequest, PushResponse } from '../../src-shared/sync';
import type { Database } from '../db/database';
import { pullChanges } from '../sync/pull';
import { pushOperations } from '../sync/push';
import { deviceOf } from './auth';
import type { Metrics } from './metrics';
import { addRoute, type AuthHooks } from './route';

/*
 * Thin wrappers over the sync core: the device (tenant, warehouse) comes from
 * the token, never from the body. A failure that is not a DomainError is
 * treated as transient (503): the device keeps its queue and retries, and
 * nothing of the batch past the last committed op was applied.
 */

function asTransient(e: unknown): unknown {
  return isDomainError(e) ? e : Object.assign(new DomainError('unavailable', 'could not apply the batch now; retry later'), { cause: e });
}

export function syncRoutes(app: FastifyInstance, hooks: AuthHooks, db: Database, metrics: Metrics): void {
  addRoute(app, hooks, {
    method: 'POST', url: '/v1/sync/push', tag: 'sync', auth: 'device',
    summary: 'Push a batch of operations (seq order, applied exactly once each)',
    body: PushRequest, response: PushResponse,
    handler: async ({ body, req }) => {
      const device = deviceOf(req);
      try {
        const res = await pushOperations(db, device, body.ops);
        for (const r of res.results) metrics.opsApplied.inc({ status: r.status });
        metrics.pushBatches.inc({ result: 'ok' });
        return res;
      } catch (e) {
        const t = asTransient(e);
        metrics.pushBatches.inc({ result: isDomainError(t) ? t.code : 'unavailable' });
        if (!isDomainError(e)) req.log.error({ err: e }, 'push failed (transient)');
        throw t;
      }
    },
  });

  addRoute(app, hooks, {
    method: 'GET', url: '/v1/sync/pull', tag: 'sync', auth: 'device',
    summary: 'Changes since the cursor for this device, paged',
    query: PullQuery, response: PullResponse,
    handler: async ({ query, req }) => {
      try {
        return await pullChanges(db, deviceOf(req), query.cursor, query.limit);
      } catch (e) {
        if (!isDomainError(e)) req.log.error({ err: e }, 'pull failed (transient)');
        throw asTransient(e);
      }
    },
  });
}
