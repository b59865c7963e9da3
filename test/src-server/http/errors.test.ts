import { describe, expect, it } from 'vitest';
import { mapError, STATUS_BY_CODE } from '../../../src-server/http/errors';
import { DomainError, ErrorCode } from '../../../src-shared/errors';

describe('error mapping', () => {
  it('gives every refusal code a status, 5xx only for outages and bugs', () => {
    for (const code of ErrorCode.options) {
      const m = mapError(new DomainError(code, 'x'));
      expect(m.status).toBe(STATUS_BY_CODE[code]);
      expect(m.body.code).toBe(code);
      const serverSide = ['unavailable', 'internal', 'database_newer', 'database_corrupt'].includes(code);
      expect(m.status >= 500, code).toBe(serverSide);
    }
    expect(STATUS_BY_CODE).toMatchObject({ validation: 400, unauthorized: 401, sequence_gap: 409, op_conflict: 422, insufficient_stock: 409, rate_limited: 429 });
  });

  it('keeps details of a refusal', () => {
    expect(mapError(new DomainError('sequence_gap', 'gap', { expectedSeq: 4 })).body).toEqual({ code: 'sequence_gap', message: 'gap', details: { expectedSeq: 4 } });
  });

  it('treats connection loss, shutdown, deadlock and serialization failures as transient (503), the rest as bugs (500) without leaking them', () => {
    for (const code of ['08006', '57P01', '40P01', '40001', '53300', 'ECONNREFUSED']) {
      expect(mapError(Object.assign(new Error('x'), { code })).status, code).toBe(503);
    }
    expect(mapError(new Error('Connection terminated unexpectedly')).status).toBe(503);
    const bug = mapError(new TypeError('cannot read properties of undefined (reading secret)'));
    expect(bug).toMatchObject({ status: 500, serverFault: true, body: { code: 'internal', message: 'internal error' } });
    expect(mapError(Object.assign(new Error('x'), { code: 'XX000' })).status).toBe(500);
  });

  it('maps what the database refuses of the caller\'s data to 4xx (bad input never yields a 5xx)', () => {
    expect(mapError(Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' })).status).toBe(400);
    expect(mapError(Object.assign(new Error('value out of range'), { code: '22003' })).status).toBe(400);
    expect(mapError(Object.assign(new Error('violates check constraint'), { code: '23514' })).status).toBe(400);
    expect(mapError(Object.assign(new Error('duplicate key'), { code: '23505' })).body.code).toBe('invalid_state');
    expect(mapError(Object.assign(new Error('violates foreign key'), { code: '23503' })).status).toBe(404);
  });

  it('turns the framework\'s 4xx (bad JSON, too large, wrong media type) into a JSON validation error', () => {
    const tooLarge = mapError(Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }));
    expect(tooLarge).toMatchObject({ status: 413, body: { code: 'validation' }, serverFault: false });
    expect(mapError(Object.assign(new SyntaxError('Unexpected end of JSON input'), { statusCode: 400 })).body.message).toMatch(/^malformed JSON/);
  });
});
