import type { ConsistencyMismatch, ConsistencyReport } from '../../src-shared/branch-inputs';
import type { StoreContext } from './context';

/*
 * The store's invariants, checked against the data itself (after a crash, a
 * restore, or in tests): every level is the fold of its movements; every
 * domain record and every movement made by an op has that op in the outbox;
 * every sale is whole; seqs and receipt numbers run 1..n with no gap.
 * Returns every mismatch found, not just the first.
 */

const FOLD = `WITH f AS (
  SELECT tenant_id, warehouse_id, product_id, sum(quantity_delta) AS q, sum(reserved_delta) AS r
  FROM inventory_movements GROUP BY tenant_id, warehouse_id, product_id)`;

/** (record name, SQL selecting id and op_id of records whose op is missing from the outbox) */
const OUTBOX_CHECKS: ReadonlyArray<[string, string]> = [
  ['sale', 'SELECT id, op_id FROM sales r'],
  ['return', 'SELECT id, op_id FROM returns r'],
  ['reservation', 'SELECT id, op_id FROM reservations r'],
  ['reservation_close', 'SELECT id, closed_op_id AS op_id FROM reservations r WHERE closed_op_id IS NOT NULL'],
  ['receipt', 'SELECT id, op_id FROM receipts r'],
  ['adjustment', 'SELECT id, op_id FROM adjustments r'],
  ['count', 'SELECT id, op_id FROM counts r'],
  ['transfer_out', 'SELECT id, op_id FROM transfers r WHERE op_id IS NOT NULL'],
  ['transfer_in', 'SELECT id, received_op_id AS op_id FROM transfers r WHERE received_op_id IS NOT NULL'],
  ['movement', 'SELECT id, op_id FROM inventory_movements r WHERE op_id IS NOT NULL'],
];

export function createConsistency(ctx: StoreContext) {
  const { db } = ctx;
  const foldMismatch = db.prepare<[], { warehouse_id: string; product_id: string; quantity: number; reserved: number; fq: number; fr: number }>(
    `${FOLD} SELECT l.warehouse_id, l.product_id, l.quantity, l.reserved, coalesce(f.q, 0) AS fq, coalesce(f.r, 0) AS fr
     FROM inventory_levels l LEFT JOIN f ON f.tenant_id = l.tenant_id AND f.warehouse_id = l.warehouse_id AND f.product_id = l.product_id
     WHERE l.quantity != coalesce(f.q, 0) OR l.reserved != coalesce(f.r, 0)`);
  const levelMissing = db.prepare<[], { warehouse_id: string; product_id: string; q: number; r: number }>(
    `${FOLD} SELECT f.warehouse_id, f.product_id, f.q, f.r FROM f
     WHERE (f.q != 0 OR f.r != 0) AND NOT EXISTS (SELECT 1 FROM inventory_levels l
       WHERE l.tenant_id = f.tenant_id AND l.warehouse_id = f.warehouse_id AND l.product_id = f.product_id)`);
  const missingOutbox = OUTBOX_CHECKS.map(([record, sql]) => ({
    record,
    missing: db.prepare<[], { id: string; op_id: string }>(`SELECT id, op_id FROM (${sql}) r WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.op_id = r.op_id)`),
  }));
  const recordCount = db.prepare<[], { n: number }>(
    `SELECT (SELECT count(*) FROM sales) + (SELECT count(*) FROM returns) + (SELECT count(*) FROM reservations)
      + (SELECT count(*) FROM receipts) + (SELECT count(*) FROM adjustments) + (SELECT count(*) FROM counts)
      + (SELECT count(*) FROM transfers) AS n`);
  const levelCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM inventory_levels');
  const partialSales = db.prepare<[], { id: string; line_count: number; payment_count: number; total_minor: number; lc: number; pc: number; lt: number }>(
    `SELECT id, line_count, payment_count, total_minor, lc, pc, lt FROM (
       SELECT s.id, s.line_count, s.payment_count, s.total_minor,
         (SELECT count(*) FROM sale_lines WHERE sale_id = s.id) AS lc,
         (SELECT coalesce(sum(line_total_minor), 0) FROM sale_lines WHERE sale_id = s.id) AS lt,
         (SELECT count(*) FROM payments WHERE sale_id = s.id) AS pc
       FROM sales s)
     WHERE lc != line_count OR pc != payment_count OR lt != total_minor`);
  const seqs = db.prepare<{ d: string }, { n: number; top: number | null; counter: number | null }>(
    'SELECT count(*) AS n, max(seq) AS top, (SELECT last_seq FROM device_counters WHERE device_id = @d) AS counter FROM outbox WHERE device_id = @d');
  const receipts = db.prepare<{ d: string }, { n: number; top: number | null; counter: number | null }>(
    'SELECT count(*) AS n, max(receipt_no) AS top, (SELECT last_receipt_no FROM device_counters WHERE device_id = @d) AS counter FROM sales WHERE device_id = @d');

  function numbering(kind: 'seq_gap' | 'receipt_gap', r: { n: number; top: number | null; counter: number | null } | undefined, out: ConsistencyMismatch[]): void {
    const n = r?.n ?? 0;
    const top = r?.top ?? 0;
    if (top !== n) out.push({ kind, expected: n, found: top });
    else if ((r?.counter ?? 0) !== top) out.push({ kind, expected: top, found: r?.counter ?? 0 });
  }

  return {
    verifyConsistency(): ConsistencyReport {
      // One read transaction: every check sees the same snapshot.
      return ctx.db.transaction((): ConsistencyReport => {
        const mismatches: ConsistencyMismatch[] = [];
        for (const r of foldMismatch.all()) {
          mismatches.push({ kind: 'level_fold', warehouseId: r.warehouse_id, productId: r.product_id, quantity: r.quantity, reserved: r.reserved, foldedQuantity: r.fq, foldedReserved: r.fr });
        }
        for (const r of levelMissing.all()) {
          mismatches.push({ kind: 'level_missing', warehouseId: r.warehouse_id, productId: r.product_id, foldedQuantity: r.q, foldedReserved: r.r });
        }
        for (const c of missingOutbox) {
          for (const r of c.missing.all()) mismatches.push({ kind: 'missing_outbox', record: c.record, id: r.id, opId: r.op_id });
        }
        for (const s of partialSales.all()) {
          mismatches.push({ kind: 'partial_sale', saleId: s.id, detail: `lines ${s.lc}/${s.line_count}, payments ${s.pc}/${s.payment_count}, line total ${s.lt}/${s.total_minor}` });
        }
        numbering('seq_gap', seqs.get({ d: ctx.deviceId }), mismatches);
        numbering('receipt_gap', receipts.get({ d: ctx.deviceId }), mismatches);
        return {
          ok: mismatches.length === 0,
          checkedLevels: levelCount.get()?.n ?? 0,
          checkedRecords: recordCount.get()?.n ?? 0,
          mismatches,
        };
      }).deferred();
    },
  };
}
