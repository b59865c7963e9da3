import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBranchStore } from '../../../src-main/store';
import { DEVICE, product, TENANT, tempDir, WAREHOUSE } from './helpers';

/*
 * Kill -9 a process in the middle of selling, many times, and check after each
 * kill that the file is intact, consistent, holds no partial sale, no sale
 * without its outbox op, and every sale the child saw committed.
 * Reproduce a failure with CRASH_SEED=<printed seed>.
 */

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 25);
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000_007);
const CHILD = join(import.meta.dirname, 'crash-child.ts');

function runAndKill(file: string, childSeed: number, delayMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, TENANT, WAREHOUSE, DEVICE, String(childSeed)], {
      cwd: join(import.meta.dirname, '../../..'), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!timer && out.includes('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child ended by itself (code ${code}): ${err.slice(0, 2000)}`));
      // The last line may be cut mid-write: only whole lines count as acknowledged.
      resolve(out.split('\n').slice(0, -1).filter((l) => l.startsWith('sale ')).map((l) => Number(l.slice(5))));
    });
  });
}

describe('crash safety', () => {
  it(`survives ${ROUNDS} SIGKILLs mid-sale (seed ${SEED})`, async () => {
    const file = join(tempDir(), 'branch.sqlite');
    const setup = openBranchStore({ file, tenantId: TENANT, warehouseId: WAREHOUSE, deviceId: DEVICE });
    const products = Array.from({ length: 20 }, (_, i) => product(i));
    setup.upsertProducts(products);
    setup.setOpeningStock(products.map((p) => ({ productId: p.id, quantity: 200 })));
    await setup.close();

    let rng = SEED || 1;
    const rand = (n: number) => { rng = (rng * 48271) % 2147483647; return rng % n; };
    let salesBefore = 0;
    let acknowledgedTotal = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const delay = 5 + rand(150);
      const acknowledged = await runAndKill(file, rand(1_000_000) + 1, delay);
      acknowledgedTotal += acknowledged.length;
      const where = `round ${round}, kill after ${delay} ms (CRASH_SEED=${SEED})`;

      const db = new Database(file);
      try {
        expect(db.pragma('integrity_check', { simple: true }), where).toBe('ok');
        const q = <T>(sql: string) => db.prepare<[], T>(sql).all();
        expect(q(`SELECT s.id FROM sales s WHERE s.line_count != (SELECT count(*) FROM sale_lines WHERE sale_id = s.id)
          OR s.payment_count != (SELECT count(*) FROM payments WHERE sale_id = s.id) OR s.payment_count = 0`), `partial sale, ${where}`).toEqual([]);
        expect(q('SELECT s.id FROM sales s WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.op_id = s.op_id)'), `sale without outbox op, ${where}`).toEqual([]);
        const { n, top } = db.prepare<[], { n: number; top: number | null }>('SELECT count(*) AS n, max(receipt_no) AS top FROM sales').get() ?? { n: 0, top: 0 };
        expect(top ?? 0, `receipt numbers have a gap, ${where}`).toBe(n);
        expect(n, `committed sales were lost, ${where}`).toBeGreaterThanOrEqual(salesBefore);
        const missing = acknowledged.filter((no) => no > n);
        expect(missing, `acknowledged sales missing, ${where}`).toEqual([]);
        salesBefore = n;
      } finally {
        db.close();
      }

      const store = openBranchStore({ file, tenantId: TENANT, warehouseId: WAREHOUSE, deviceId: DEVICE });
      try {
        const report = store.verifyConsistency();
        expect(report.mismatches, where).toEqual([]);
        expect(report.ok).toBe(true);
      } finally {
        await store.close();
      }
    }
    // The kills must have landed while selling, or the test proved nothing.
    expect(acknowledgedTotal).toBeGreaterThan(ROUNDS);
  }, 120_000);
});
