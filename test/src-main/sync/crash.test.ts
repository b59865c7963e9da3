import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBranchStore } from '../../../src-main/store';
import { createSyncEngine } from '../../../src-main/sync/engine';
import { createFileVault } from '../../../src-main/sync/vault';
import { uuidv7 } from '../../../src-shared/ids';
import { startCentral, type Central } from '../../sim/central';

/*
 * A power cut at any moment: a real branch process (its own SQLite file)
 * drains its outbox to the real central and is killed with SIGKILL several
 * times mid-drain, at different moments. Each restart resumes from the
 * outbox; at the end every op is applied exactly once, in seq order, and the
 * branch's records agree with central's.
 */

const OPS = 150;
const child = join(import.meta.dirname, 'crash-child.ts');

describe('crash while draining', () => {
  let central: Central;
  let dir: string;
  beforeAll(async () => {
    central = await startCentral('pglite');
    dir = mkdtempSync(join(tmpdir(), 'bp-crash-'));
  });
  afterAll(async () => {
    await central.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGKILLed mid-drain three times, the branch still delivers every op exactly once', async () => {
    const shop = await central.newShop({ tillsPerWarehouse: [1], products: 3, stock: 1000 });
    const d = shop.tills[0]!;
    const ids = { tenantId: shop.tenant.tenantId, warehouseId: d.warehouseId, deviceId: d.deviceId };
    const file = join(dir, 'branch.sqlite');
    const vaultDir = join(dir, 'vault');
    const vault = createFileVault(vaultDir);
    vault.save({ serverUrl: central.url, ...ids, deviceName: 'till', token: d.token, enrolledAt: new Date().toISOString() });
    const store = openBranchStore({ file, ...ids });
    await createSyncEngine({ store, vault }).syncNow();
    const cash = [{ method: 'cash' as const, currency: 'USD' as const, amountMinor: 100_000 }];
    for (let i = 0; i < OPS; i += 1) {
      store.sell({ opId: uuidv7(), actorId: 'c', lines: [{ productId: shop.tenant.productIds[i % 3]!, quantity: 1 }], payments: cash });
    }
    await store.close();

    const appliedCount = async () => (await central.db.withTenant(ids.tenantId, (tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM applied_ops WHERE device_id = $1', [ids.deviceId]))).rows[0]?.n ?? 0;
    const run = (killAt: number | null) => new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, ['--import', 'tsx', child], {
        env: { ...process.env, BP_FILE: file, BP_TENANT: ids.tenantId, BP_WAREHOUSE: ids.warehouseId, BP_DEVICE: ids.deviceId, BP_VAULT: vaultDir, BP_BATCH: '7' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      p.stdout.on('data', (b: Buffer) => { out += b.toString(); });
      p.stderr.on('data', (b: Buffer) => { out += b.toString(); });
      let timer: ReturnType<typeof setInterval> | null = null;
      if (killAt !== null) {
        // Kill as soon as central has applied at least killAt ops: mid-batch, mid-request, wherever that falls.
        timer = setInterval(() => {
          void appliedCount().then((n) => {
            if (n >= killAt) p.kill('SIGKILL');
          });
        }, 25);
      }
      p.on('error', reject);
      p.on('exit', (code, signal) => {
        if (timer) clearInterval(timer);
        resolve(`${signal ?? code}: ${out.trim().split('\n').pop() ?? ''}`);
      });
    });

    const kills: string[] = [];
    for (const at of [25, 70, 115]) kills.push(await run(at));
    expect(kills.every((k) => k.startsWith('SIGKILL'))).toBe(true);
    const before = await appliedCount();
    expect(before).toBeLessThan(OPS);
    expect(await run(null)).toMatch(/^0: drained/);

    const rows = (await central.db.withTenant(ids.tenantId, (tx) =>
      tx.query<{ seq: string; op_id: string; status: string }>('SELECT seq, op_id, status FROM applied_ops WHERE device_id = $1 ORDER BY seq', [ids.deviceId]))).rows;
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: OPS }, (_, i) => i + 1));
    const sales = (await central.db.withTenant(ids.tenantId, (tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM sales WHERE device_id = $1', [ids.deviceId]))).rows[0]?.n;
    expect(sales).toBe(OPS);
    const reopened = openBranchStore({ file, ...ids });
    try {
      expect(reopened.sync.counters().pendingOps).toBe(0);
      expect(reopened.outboxCounts()).toEqual({ pending: 0, applied: OPS, refused: 0 });
      expect(reopened.verifyConsistency().ok).toBe(true);
      const local = reopened.stockList({ limit: 50 }).rows.map((r) => r.quantity).sort();
      expect(local).toEqual([950, 950, 950]);
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
