import { z } from 'zod';

/**
 * Every refusal the branch core or the central API can give, by code. Hosts
 * (IPC, HTTP, sync) carry errors as `{ code, message, details }` so the other
 * side can act on the code, never on the message text.
 */
export const ErrorCode = z.enum([
  'validation',            // input failed its schema; nothing written
  'insufficient_stock',    // a line lacks availability; details name the product and what is available
  'unknown_product',
  'unknown_warehouse',
  'unknown_sale',
  'unknown_reservation',
  'unknown_transfer',
  'op_conflict',           // an op id seen before with a different payload
  'invalid_state',         // e.g. releasing a fulfilled reservation, returning more than was sold
  'sequence_gap',          // sync: a device skipped a seq
  'unauthorized',
  'forbidden',
  'not_found',
  'rate_limited',
  'database_newer',        // the database was written by a newer version of the code
  'database_corrupt',
  'unavailable',           // transient: retry later
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const InsufficientStockDetails = z.object({
  productId: z.string(),
  sku: z.string().optional(),
  requested: z.number().int(),
  available: z.number().int(),
});
export type InsufficientStockDetails = z.infer<typeof InsufficientStockDetails>;

/** A typed, expected refusal. Anything else thrown is a bug or a transient fault. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

/** Parse with a schema, turning a zod failure into a `validation` DomainError that says which field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0];
    throw new DomainError('validation', `invalid ${what}: ${first ? `${first.path || '(root)'}: ${first.message}` : 'malformed'}`, { issues });
  }
  return r.data;
}
