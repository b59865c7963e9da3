import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
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
// On a loaded machine each child's start (tsx, modules) takes seconds: stop after the budget,
// but never before MIN_ROUNDS kills.
const MIN_ROUNDS = Math.min(ROUNDS, 12);
const BUDGET_MS = Number(process.env.CRASH_BUDGET_MS ?? 35_000);
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000_007);
const CHILD = join(import.meta.dirname, 'crash-child.ts');

interface Child { proc: ChildProcess; out: string; err: string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }

/** Starts a child that loads its modules, then waits for "go" before opening the file. */
function startChild(file: string, childSeed: number): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, file, TENANT, WAREHOUSE, DEVICE, String(childSeed)], {
    cwd: join(import.meta.dirname, '../../..'), stdio: ['pipe', 'pipe', 'pipe'],
  });
  const c: Child = { proc, out: '', err: '', exited: new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal }))) };
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => { c.out += d; });
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => { c.err += d; });
  return c;
}

/** Lets the child sell, kills it delayMs after it is selling; returns the receipt numbers it saw committed. */
async function runAndKill(c: Child, delayMs: number): Promise<number[]> {
  c.proc.stdin?.write('go\n');
  const selling = (async () => {
    while (!c.out.includes('ready\n')) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, delayMs));
    c.proc.kill('SIGKILL');
  })();
  const { code, signal } = await c.exited;
  await selling.catch(() => undefined);
  if (signal !== 'SIGKILL') throw new Error(`child ended by itself (code ${code}): ${c.err.slice(0, 2000)}`);
  // The last line may be cut mid-write: only whole lines count as acknowledged.
  return c.out.split('\n').slice(0, -1).filter((l) => l.startsWith('sale ')).map((l) => Number(l.slice(5)));
}

describe('crash safety', () => {
  it(`survives ${MIN_ROUNDS} to ${ROUNDS} SIGKILLs mid-sale (seed ${SEED})`, async () => {
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
    const started = Date.now();
    let next = startChild(file, rand(1_000_000) + 1);
    let round = 0;
    try {
      for (; round < ROUNDS && (round < MIN_ROUNDS || Date.now() - started < BUDGET_MS); round += 1) {
        const delay = 5 + rand(150);
        const acknowledged = await runAndKill(next, delay);
        // The next child loads while this round's file is checked.
        next = startChild(file, rand(1_000_000) + 1);
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
    } finally {
      next.proc.kill('SIGKILL');
      await next.exited;
    }
    console.info(`crash test: ${round} SIGKILLs in ${Date.now() - started} ms, ${acknowledgedTotal} acknowledged sales checked (CRASH_SEED=${SEED})`);
    // The kills must have landed while selling, or the test proved nothing.
    expect(round).toBeGreaterThanOrEqual(MIN_ROUNDS);
    expect(acknowledgedTotal).toBeGreaterThan(round);
  }, 120_000);
});
