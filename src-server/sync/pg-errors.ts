import { DomainError } from '../../src-shared/errors';

/** The SQLSTATE of a driver error (pg and PGlite both expose `code`), if any. */
export function sqlState(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  const code = (e as { code: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Deadlock or serialization failure: the whole transaction may simply be run again. */
export function isRetryable(e: unknown): boolean {
  const s = sqlState(e);
  return s === '40P01' || s === '40001';
}

/**
 * Constraint violations raised while applying an op mean the op refers to
 * something that does not exist or reuses an id: a business refusal, not a fault.
 */
export function refusalFromConstraint(e: unknown): DomainError | null {
  const s = sqlState(e);
  const detail = typeof e === 'object' && e !== null && 'constraint' in e ? String((e as { constraint: unknown }).constraint ?? '') : '';
  if (s === '23503') {
    if (detail.includes('product')) return new DomainError('unknown_product', 'the operation names a product central does not know');
    if (detail.includes('warehouse')) return new DomainError('unknown_warehouse', 'the operation names a warehouse central does not know');
    return new DomainError('not_found', 'the operation refers to a record central does not know');
  }
  if (s === '23505') return new DomainError('invalid_state', 'the operation reuses the id of an existing record');
  // A level beyond the integer range cannot be a real shelf; refusing it keeps the device's queue moving.
  if (s === '22003') return new DomainError('validation', 'a quantity would leave the range central stores');
  return null;
}
