import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type ErrorBody, type ErrorCode, isDomainError } from '../../src-shared/errors';

/*
 * One mapping from a refusal's code to its HTTP status, used by every route.
 * insufficient_stock is 409: the request was well formed but conflicts with
 * the stock at that moment, and the same request may succeed after a receipt.
 * op_conflict is 422: resending the same op id with another payload can never
 * succeed, the client must fix its queue.
 */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unknown_product: 404,
  unknown_warehouse: 404,
  unknown_sale: 404,
  unknown_reservation: 404,
  unknown_transfer: 404,
  sequence_gap: 409,
  insufficient_stock: 409,
  invalid_state: 409,
  op_conflict: 422,
  rate_limited: 429,
  database_newer: 503,
  database_corrupt: 503,
  unavailable: 503,
  internal: 500,
};

// SQLSTATE classes that mean "try again": connection (08), resources (53),
// operator intervention (57: shutdown, cancel), serialization failure and deadlock.
const TRANSIENT_SQLSTATE = /^(08|53|57)|^40001$|^40P01$/;
const TRANSIENT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** True for faults that a retry may cure (database down or restarting, deadlock), as opposed to bugs. */
export function isTransient(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_ERRNO.has(code))) return true;
  const msg = e instanceof Error ? e.message : '';
  // The driver's own words for a database that went away (pg's pool, PGlite closed under us).
  return /Connection terminated|connection is closed|Client has encountered a connection error|timeout exceeded when trying to connect|Cannot use a pool after calling end|PGlite is closed/i.test(msg);
}

/** Fastify's own 4xx errors (bad JSON, wrong content type, too large...) as our JSON body. */
function fromFastify4xx(e: FastifyError): { status: number; body: ErrorBody } {
  const status = e.statusCode ?? 400;
  const code: ErrorCode = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : 'validation';
  let message = e.message;
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') message = 'request body is larger than the server accepts';
  else if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') message = 'unsupported content type: JSON routes take application/json, the CSV import takes text/csv';
  else if (e instanceof SyntaxError || /JSON/.test(e.message)) message = `malformed JSON: ${e.message}`;
  return { status, body: { code, message } };
}

/**
 * Data the schemas let through but PostgreSQL refuses (a NUL character in a
 * name, a value out of a column's range, a constraint): still the caller's
 * input, so a 4xx, never a 500.
 */
function fromDatabaseRefusal(e: unknown): { status: number; body: ErrorBody } | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  if (code.startsWith('22') || code === '23502' || code === '23514') {
    return { status: 400, body: { code: 'validation', message: 'the database refused a value of the request (a character or number it cannot store)' } };
  }
  if (code === '23505') return { status: 409, body: { code: 'invalid_state', message: 'a record with this key already exists' } };
  if (code === '23503') return { status: 404, body: { code: 'not_found', message: 'the request refers to a record that does not exist' } };
  return null;
}

export interface ErrorMapping {
  status: number;
  body: ErrorBody;
  /** Worth an error-level log line: a bug or an outage, not a client's mistake. */
  serverFault: boolean;
}

export function mapError(e: unknown): ErrorMapping {
  if (isDomainError(e)) return { status: STATUS_BY_CODE[e.code], body: e.toBody(), serverFault: e.code === 'internal' };
  const fe = e as FastifyError;
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { ...fromFastify4xx(fe), serverFault: false };
  }
  const refused = fromDatabaseRefusal(e);
  if (refused) return { ...refused, serverFault: false };
  if (isTransient(e)) {
    return { status: 503, body: { code: 'unavailable', message: 'the database is unavailable; retry later' }, serverFault: true };
  }
  return { status: 500, body: { code: 'internal', message: 'internal error' }, serverFault: true };
}

export function errorHandler(e: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  const m = mapError(e);
  if (m.serverFault) req.log.error({ err: e }, 'request failed');
  else req.log.info({ code: m.body.code, msg: m.body.message }, 'request refused');
  if (m.status === 429 && isDomainError(e)) {
    const retry = (e.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (typeof retry === 'number') void reply.header('retry-after', String(retry));
  }
  void reply.status(m.status).type('application/json').send(m.body);
}

/** Raise when a route's state makes the request impossible, with the code that says why. */
export function notFound(what: string): DomainError {
  return new DomainError('not_found', `${what} not found`);
}
