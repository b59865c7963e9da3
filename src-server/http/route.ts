import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { z } from 'zod';
import { DomainError, ErrorBody, parseOrThrow } from '../../src-shared/errors';

/*
 * Routes are declared once with zod schemas. The same schemas validate the
 * request (zod is the only validator: Fastify's Ajv is switched off in app.ts
 * so the two can never disagree) and, turned into JSON Schema, describe the
 * route in the OpenAPI document.
 */

export type AuthKind = 'none' | 'admin' | 'device';

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  req: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteDef<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  auth: AuthKind;
  body?: B;
  /** A raw text body (CSV import): documented by media type, validated by the handler. */
  textBody?: { mediaType: string; description: string };
  query?: Q;
  params?: P;
  response?: z.ZodType;
  /** Status of a success; 200 unless said (201 for creations). */
  status?: number;
  handler: (input: RouteInput<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<unknown>;
}

export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

const errorResponse = jsonSchema(ErrorBody, 'output');

/**
 * Where a NUL character hides in a parsed request, if anywhere. PostgreSQL
 * can store NUL in neither text nor jsonb, so such input would fail deep in a
 * transaction; in a pushed op that failure would look transient and block the
 * device's queue for good. It is refused up front instead, as bad input.
 */
export function findNul(v: unknown, path = ''): string | null {
  if (typeof v === 'string') return v.includes('\u0000') ? path || '(root)' : null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i += 1) {
      const p = findNul(v[i], path ? `${path}.${i}` : String(i));
      if (p) return p;
    }
    return null;
  }
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = findNul(k, path) ?? findNul(x, path ? `${path}.${k}` : k);
      if (p) return p;
    }
  }
  return null;
}

function refuseNul(v: unknown, what: string): void {
  const at = findNul(v);
  if (at) throw new DomainError('validation', `invalid ${what}: ${at}: text must not contain NUL characters`, { issues: [{ path: at, message: 'NUL character' }] });
}

/** A stable name for generated clients: POST /v1/admin/tenants/:tenantId/users -> postAdminTenantsUsers, PATCH .../users/:id -> patchAdminTenantsUsersById. */
export function operationId(method: string, url: string): string {
  const words = url.split('/').filter((p) => p && p !== 'v1' && !p.startsWith(':')).flatMap((p) => p.split(/[-_]/));
  const byId = /\/:[^/]+$/.test(url) ? ['ById'] : [];
  return [method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)), ...byId].join('');
}

/** Hooks the app gives each route for its kind of auth (they throw `unauthorized`). */
export interface AuthHooks {
  admin: (req: FastifyRequest) => Promise<void>;
  device: (req: FastifyRequest) => Promise<void>;
}

export function addRoute<B extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, P extends z.ZodType = z.ZodUnknown>(
  app: FastifyInstance,
  hooks: AuthHooks,
  def: RouteDef<B, Q, P>,
): void {
  const status = def.status ?? 200;
  const schema: Record<string, unknown> = {
    operationId: operationId(def.method, def.url),
    summary: def.summary,
    tags: [def.tag],
    response: {
      [status]: def.response ? jsonSchema(def.response, 'output') : { description: 'OK' },
      '4xx': errorResponse,
      '5xx': errorResponse,
    },
  };
  if (def.body) schema.body = jsonSchema(def.body, 'input');
  if (def.textBody) {
    schema.body = { content: { [def.textBody.mediaType]: { schema: { type: 'string', description: def.textBody.description } } } };
  }
  if (def.query) schema.querystring = jsonSchema(def.query, 'input');
  if (def.params) schema.params = jsonSchema(def.params, 'input');
  if (def.auth !== 'none') schema.security = [{ [def.auth === 'admin' ? 'adminToken' : 'deviceToken']: [] }];

  const opts: RouteShorthandOptions = { schema };
  // Auth runs on request, before the body is even read: an unauthenticated
  // caller learns nothing about validation and cannot make us parse 8 MiB.
  if (def.auth !== 'none') {
    const hook = hooks[def.auth];
    opts.onRequest = async (req) => hook(req);
  }
  app.route({
    ...opts,
    method: def.method,
    url: def.url,
    handler: async (req, reply) => {
      refuseNul(req.body, 'body');
      refuseNul(req.query, 'query');
      refuseNul(req.params, 'path');
      const input: RouteInput<z.infer<B>, z.infer<Q>, z.infer<P>> = {
        body: (def.body ? parseOrThrow(def.body, req.body, 'body') : req.body) as z.infer<B>,
        query: (def.query ? parseOrThrow(def.query, req.query, 'query') : req.query) as z.infer<Q>,
        params: (def.params ? parseOrThrow(def.params, req.params, 'path') : req.params) as z.infer<P>,
        req,
        reply,
      };
      const result = await def.handler(input);
      if (reply.sent) return reply;
      return reply.status(status).send(result ?? {});
    },
  });
}
