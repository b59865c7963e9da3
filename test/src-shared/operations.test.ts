import { describe, expect, it } from 'vitest';
import { DomainError, parseOrThrow } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import { canonicalJson, Operation, SalePayload } from '../../src-shared/operations';

const line = (quantity: unknown) => ({ productId: uuidv7(), quantity, unitPriceMinor: 150, taxRateBp: 1100 });
const sale = (quantity: unknown) => ({ saleId: uuidv7(), receiptNo: 1, currency: 'USD', lines: [line(quantity)], payments: [] });

describe('operation schemas', () => {
  it.each([0, -1, 1.5, 1_000_001, Number.NaN, '3'])('refuse a sale line quantity of %s', (q) => {
    expect(SalePayload.safeParse(sale(q)).success).toBe(false);
  });

  it('accept a well-formed sale operation', () => {
    const op = { opId: uuidv7(), seq: 1, type: 'sale', occurredAt: new Date().toISOString(), payload: sale(2) };
    expect(Operation.parse(op).type).toBe('sale');
  });

  it('refuse a card number in a payment reference', () => {
    const p = { ...sale(1), payments: [{ method: 'card', currency: 'USD', amountMinor: 150, reference: '4111111111111111' }] };
    expect(SalePayload.safeParse(p).success).toBe(false);
  });

  it('parseOrThrow gives a validation DomainError naming the field', () => {
    try {
      parseOrThrow(SalePayload, sale(0), 'sale');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('validation');
      expect((e as DomainError).message).toContain('lines.0.quantity');
    }
  });

  it('canonicalJson ignores key order and undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: undefined }] })).toBe(canonicalJson({ a: [2, { d: 3 }], b: 1 }));
  });
});
