import type { ImportReport, ImportRowError } from '../../src-shared/admin';
import { DomainError } from '../../src-shared/errors';
import type { Database } from '../db/database';
import { parseCatalogCsv } from './product-csv';
import { applyProducts, checkProducts } from './products';
import { inTenant } from './tenant-scope';

/*
 * CSV catalog import. Default all_or_nothing: one bad row and nothing is
 * written; the answer is a 400 whose details are the full report, so the shop
 * fixes the file and sends it again, and the tills never see half a catalog.
 * valid_rows applies the good rows and reports the rest.
 */
export async function importCatalog(db: Database, tenantId: string, csv: string, mode: ImportReport['mode']): Promise<ImportReport> {
  const parsed = parseCatalogCsv(csv);
  return inTenant(db, tenantId, async (tx) => {
    const errors: ImportRowError[] = [...parsed.errors];
    const problems = await checkProducts(tx, tenantId, parsed.rows.map((r) => r.product));
    const badIndexes = new Set<number>();
    for (const p of problems) {
      const row = parsed.rows[p.index];
      if (!row) continue;
      badIndexes.add(p.index);
      errors.push({ row: row.row, field: p.field, message: p.message.replace(/item (\d+)/g, (_, i: string) => `row ${parsed.rows[Number(i)]?.row ?? '?'}`) });
    }
    errors.sort((a, b) => a.row - b.row);
    const rejected = new Set(errors.map((e) => e.row)).size;
    const report: ImportReport = { mode, rows: parsed.total, applied: false, inserted: 0, updated: 0, rejected, errors };
    if (errors.length > 0 && (mode === 'all_or_nothing' || parsed.rows.length === 0)) {
      throw new DomainError('validation', `${rejected} row(s) of the file have errors; nothing was imported`, report);
    }
    const good = parsed.rows.filter((_, i) => !badIndexes.has(i)).map((r) => r.product);
    const applied = await applyProducts(tx, tenantId, good);
    return { ...report, applied: true, inserted: applied.inserted, updated: applied.updated };
  });
}
