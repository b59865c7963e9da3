import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { actor, cash, openFixture } from './helpers';

/* verifyConsistency must find what a bug or a bad restore would leave behind: tamper, then check. */

function tamper(file: string, sql: string): void {
  const db = new Database(file);
  db.exec(sql);
  db.close();
}

describe('verifyConsistency', () => {
  it('reports every mismatch it finds, each named', () => {
    const { store, file, products } = openFixture(2, 10);
    const [a, b] = products as [typeof products[0], typeof products[0]];
    const s1 = store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: a.id, quantity: 1 }, { productId: b.id, quantity: 1 }], payments: [cash(1000)] });
    const s2 = store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: a.id, quantity: 1 }], payments: [cash(1000)] });
    const adj = store.adjust({ opId: uuidv7(), actorId: actor, reason: 'found', lines: [{ productId: b.id, quantityDelta: 2 }] });
    expect(store.verifyConsistency()).toEqual({ ok: true, checkedLevels: 2, checkedRecords: 3, mismatches: [] });

    const ro = new Database(file, { readonly: true });
    const s2Op = ro.prepare<[string], { op_id: string }>('SELECT op_id FROM sales WHERE id = ?').get(s2.saleId)?.op_id;
    ro.close();
    tamper(file, `
      UPDATE inventory_levels SET quantity = quantity + 5 WHERE product_id = '${a.id}';
      DELETE FROM sale_lines WHERE sale_id = '${s1.saleId}' AND line_no = 2;
      DELETE FROM outbox WHERE op_id = '${s2Op}';
      UPDATE adjustments SET op_id = '${uuidv7()}' WHERE id = '${adj.adjustmentId}';
    `);
    const report = store.verifyConsistency();
    expect(report.ok).toBe(false);
    expect(report.mismatches).toEqual(expect.arrayContaining([
      { kind: 'level_fold', warehouseId: expect.any(String), productId: a.id, quantity: 13, reserved: 0, foldedQuantity: 8, foldedReserved: 0 },
      expect.objectContaining({ kind: 'partial_sale', saleId: s1.saleId }),
      { kind: 'missing_outbox', record: 'sale', id: s2.saleId, opId: s2Op },
      expect.objectContaining({ kind: 'missing_outbox', record: 'movement', opId: s2Op }),
      expect.objectContaining({ kind: 'missing_outbox', record: 'adjustment', id: adj.adjustmentId }),
      { kind: 'seq_gap', expected: 2, found: 3 },
    ]));
  });

  it('finds movements with no level row, and receipt numbers with a gap', () => {
    const { store, file, products } = openFixture(1, 10);
    const p = products[0]!;
    const s = store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: p.id, quantity: 1 }], payments: [cash(1000)] });
    tamper(file, `
      PRAGMA foreign_keys = OFF;
      DELETE FROM inventory_levels;
      UPDATE sales SET receipt_no = 7 WHERE id = '${s.saleId}';
    `);
    const kinds = store.verifyConsistency().mismatches.map((m) => m.kind);
    expect(kinds).toEqual(expect.arrayContaining(['level_missing', 'receipt_gap']));
  });
});
