import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DomainError } from '../../src-shared/errors';
import { EnrollRequest, EnrollResponse } from '../../src-shared/sync';
import type { Database } from '../db/database';
import { enrollDevice, hashCode } from '../devices/enrollment';
import type { Metrics } from './metrics';
import { RateLimiter } from './rate-limit';
import { deviceOf } from './auth';
import { addRoute, type AuthHooks } from './route';

export interface EnrollLimits {
  perIpPerMinute: number;
  /** Attempts with one code value per 15 minutes (a code lives at most that long). */
  perCode?: number;
}

/*
 * Per-IP and per-code limits: with 60-bit codes that live 15 minutes, 10
 * tries a minute per address leaves guessing hopeless, and a code cannot be
 * hammered from many addresses. No global limit: it would let anyone lock out
 * every branch's legitimate enrollment.
 */
export function deviceRoutes(app: FastifyInstance, hooks: AuthHooks, db: Database, metrics: Metrics, limits: EnrollLimits): void {
  const byIp = new RateLimiter(limits.perIpPerMinute, 60_000);
  const byCode = new RateLimiter(limits.perCode ?? 5, 15 * 60_000);
  const limited = (retryAfterSeconds: number) =>
    new DomainError('rate_limited', 'too many enrollment attempts; wait and try again', { retryAfterSeconds });

  addRoute(app, hooks, {
    method: 'POST', url: '/v1/devices/enroll', tag: 'devices', auth: 'none', status: 201,
    summary: 'Exchange a single-use enrollment code for a device token',
    body: EnrollRequest, response: EnrollResponse,
    handler: async ({ body, req }) => {
      const wait = byIp.hit(`ip:${req.ip}`) || byCode.hit(hashCode(body.code));
      if (wait) {
        metrics.enrollments.inc({ result: 'rate_limited' });
        throw limited(wait);
      }
      try {
        const res = await enrollDevice(db, body.code, body.deviceName);
        metrics.enrollments.inc({ result: 'enrolled' });
        req.log.info({ tenantId: res.tenantId, warehouseId: res.warehouseId, deviceId: res.deviceId }, 'device enrolled');
        return res;
      } catch (e) {
        metrics.enrollments.inc({ result: e instanceof DomainError ? e.code : 'error' });
        throw e;
      }
    },
  });

  addRoute(app, hooks, {
    method: 'GET', url: '/v1/devices/me', tag: 'devices', auth: 'device',
    summary: 'The tenant, warehouse and device this token is bound to (a terminal checks its token with it)',
    response: z.object({ tenantId: z.uuid(), warehouseId: z.uuid(), deviceId: z.uuid() }),
    handler: async ({ req }) => deviceOf(req),
  });
}
