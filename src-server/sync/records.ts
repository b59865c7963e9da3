import type { Queryable } from '../db/database';

/*
 * The domain record of an op (the sale, the receipt...) is written once and
 * read by nothing later in the same push: no other row refers to it and no
 * rule looks it up. So it need not be its own statement: an op adds its
 * record here, and the records are written at the end, one statement per
 * table, in the same transaction as the op's levels, movements and stored
 * result (rule 2 holds: they commit or vanish together). For a group of ops
 * that is one statement per table instead of one per op.
 */

const COLUMNS = {
  sales: ['id', 'warehouse_id', 'device_id', 'op_id', 'receipt_no', 'currency', 'total_minor', 'payload', 'occurred_at'],
  returns: ['id', 'warehouse_id', 'device_id', 'op_id', 'sale_id', 'payload', 'occurred_at'],
  receipts: ['id', 'warehouse_id', 'device_id', 'op_id', 'payload', 'occurred_at'],
  adjustments: ['id', 'warehouse_id', 'device_id', 'op_id', 'reason', 'payload', 'occurred_at'],
  counts: ['id', 'warehouse_id', 'device_id', 'op_id', 'payload', 'occurred_at'],
} as const;

export type RecordTable = keyof typeof COLUMNS;
export type RecordRow<T extends RecordTable> = { [K in (typeof COLUMNS)[T][number]]: unknown };

/** Fixed order, so two groups write their records in the same order. */
const TABLES = Object.keys(COLUMNS) as RecordTable[];

export interface RecordBuffer {
  add<T extends RecordTable>(table: T, row: RecordRow<T>): void;
  /** Writes what was added since the last flush (the tenant from the caller, never from a row). */
  flush(tx: Queryable, tenantId: string): Promise<void>;
}

export function recordBuffer(): RecordBuffer {
  const pending = new Map<RecordTable, unknown[]>();
  return {
    add(table, row) {
      const rows = pending.get(table) ?? [];
      rows.push(row);
      pending.set(table, rows);
    },
    async flush(tx, tenantId) {
      for (const table of TABLES) {
        const rows = pending.get(table);
        if (!rows || rows.length === 0) continue;
        pending.delete(table);
        const cols = COLUMNS[table];
        // jsonb_populate_recordset types each field by the table's own column (uuid, jsonb, timestamptz...).
        await tx.query(
          `INSERT INTO ${table} (tenant_id, ${cols.join(', ')})
           SELECT $1, ${cols.map((c) => `r.${c}`).join(', ')} FROM jsonb_populate_recordset(NULL::${table}, $2::jsonb) AS r`,
          [tenantId, JSON.stringify(rows)]);
      }
    },
  };
}
