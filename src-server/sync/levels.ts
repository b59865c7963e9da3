import { uuidv7 } from '../../src-shared/ids';
import type { MovementType } from '../../src-shared/operations';
import type { OpContext } from './context';

/*
 * Every stock change goes through here: the level row and its movement are
 * written by one statement, inside the op's transaction (data-model rule 2).
 */

export interface LineDelta {
  productId: string;
  quantity: number;
  reserved?: number;
}

export interface LevelAfter {
  productId: string;
  quantity: number;
  reserved: number;
}

/** Sums lines of the same product and sorts by product id, so rows are always locked in one order. */
export function mergeLines(lines: readonly LineDelta[]): LineDelta[] {
  const by = new Map<string, LineDelta>();
  for (const l of lines) {
    const id = l.productId.toLowerCase();
    const prev = by.get(id);
    by.set(id, { productId: id, quantity: (prev?.quantity ?? 0) + l.quantity, reserved: (prev?.reserved ?? 0) + (l.reserved ?? 0) });
  }
  return [...by.values()].filter((l) => l.quantity !== 0 || (l.reserved ?? 0) !== 0).sort((a, b) => (a.productId < b.productId ? -1 : 1));
}

/**
 * Unconditional deltas (sales, returns, receipts, adjustments, counts, transfer legs):
 * the level row is created on first touch by the upsert. An unknown product fails
 * the foreign key, which the caller turns into a refusal.
 */
export async function applyDeltas(
  c: OpContext, warehouseId: string, lines: readonly LineDelta[], type: MovementType | 'transfer_announce' | 'central_transfer', referenceId: string | null,
): Promise<LevelAfter[]> {
  const merged = mergeLines(lines);
  if (merged.length === 0) return [];
  // One call of bp_apply_deltas (migration 5): the same upsert-or-update and
  // movement insert as one statement, planned once per connection.
  // A reserved delta only ever touches a row that holds the reservation, so it updates;
  // the upsert's proposed row must pass the CHECKs and cannot carry a negative reserved.
  const upsert = merged.every((l) => (l.reserved ?? 0) === 0);
  const r = await c.tx.query<LevelAfter>(
    `SELECT out_product_id AS "productId", out_quantity AS quantity, out_reserved AS reserved
       FROM bp_apply_deltas($1, $2, $3::uuid[], $4::int[], $5::int[], $6, $7, $8, $9, $10)`,
    [c.tenantId, warehouseId, merged.map((l) => l.productId), merged.map((l) => l.quantity), merged.map((l) => l.reserved ?? 0),
      type, referenceId, c.opId, c.deviceId, upsert],
  );
  if (r.rows.length !== merged.length) throw new Error(`level rows missing for a reserved change (${r.rows.length}/${merged.length})`);
  return r.rows;
}

export type DiscrepancyKind = 'negative_stock' | 'short_receipt' | 'over_receipt';

export interface NewDiscrepancy {
  productId: string;
  kind: DiscrepancyKind;
  quantity: number;
}

/** Records discrepancies for people to look at (recount, chase a supplier); returns their ids. */
export async function raiseDiscrepancies(c: OpContext, warehouseId: string, items: readonly NewDiscrepancy[], referenceId: string | null): Promise<string[]> {
  if (items.length === 0) return [];
  const ids = items.map(() => uuidv7());
  await c.tx.query(
    `INSERT INTO discrepancies (tenant_id, id, warehouse_id, product_id, kind, quantity, reference_id, op_id)
     SELECT $1, id, $2, product_id, kind, quantity, $6, $7 FROM unnest($3::uuid[], $4::uuid[], $5::text[], $8::int[]) AS x(id, product_id, kind, quantity)`,
    [c.tenantId, warehouseId, ids, items.map((i) => i.productId), items.map((i) => i.kind), referenceId, c.opId, items.map((i) => i.quantity)],
  );
  return ids;
}

/** R6/R14: a debit that left available below zero is applied and flagged for a recount. */
export async function flagNegative(c: OpContext, warehouseId: string, after: readonly LevelAfter[], debited: ReadonlySet<string>, referenceId: string | null): Promise<string[]> {
  const items = after
    .filter((l) => debited.has(l.productId) && l.quantity - l.reserved < 0)
    .map((l) => ({ productId: l.productId, kind: 'negative_stock' as const, quantity: l.quantity - l.reserved }));
  return raiseDiscrepancies(c, warehouseId, items, referenceId);
}

export async function enqueueOutbox(c: OpContext, kind: string, payload: Record<string, unknown>): Promise<void> {
  await c.tx.query(`INSERT INTO outbox (tenant_id, kind, payload) VALUES ($1, $2, $3)`, [c.tenantId, kind, JSON.stringify(payload)]);
}
