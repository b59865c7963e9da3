import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { openBranchStore } from '../../../src-main/store';
import { actor, cash, DEVICE, level, openFixture, TENANT, tempDir, WAREHOUSE } from './helpers';

describe('backups', () => {
  it('backs up with the online API while open; the backup restores and reads', async () => {
    const backupDir = tempDir();
    const { store, products } = openFixture(3, 10, { backup: { dir: backupDir } });
    const sale = store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: products[0]!.id, quantity: 2 }], payments: [cash(200)] });
    const info = await store.backupNow();
    expect(info.bytes).toBeGreaterThan(0);
    // Writes after the backup are not in it.
    store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: products[0]!.id, quantity: 1 }], payments: [cash(100)] });
    expect(readdirSync(backupDir).filter((f) => f.endsWith('.partial'))).toEqual([]);

    const restored = openBranchStore({ file: info.file, tenantId: TENANT, warehouseId: WAREHOUSE, deviceId: DEVICE });
    try {
      expect(level(restored, products[0]!.id).quantity).toBe(8);
      expect(restored.pendingOps().map((o) => o.payload)).toEqual([expect.objectContaining({ saleId: sale.saleId })]);
      expect(restored.verifyConsistency()).toMatchObject({ ok: true });
    } finally {
      await restored.close();
    }
  });

  it('keeps only the newest N backups; a schedule makes them on its own', async () => {
    const backupDir = tempDir();
    const { store } = openFixture(1, 1, { backup: { dir: backupDir, keep: 2 } });
    const made: string[] = [];
    for (let i = 0; i < 4; i += 1) made.push((await store.backupNow()).file);
    expect(store.listBackups()).toEqual(made.slice(2));
    expect(existsSync(made[0]!)).toBe(false);

    const errors: unknown[] = [];
    const dir2 = tempDir();
    const scheduled = openFixture(1, 1, { backup: { dir: dir2, keep: 3, intervalMs: 40, onError: (e) => errors.push(e) } }).store;
    await new Promise((r) => setTimeout(r, 400));
    expect(scheduled.listBackups().length).toBe(3);
    scheduled.stopBackupSchedule();
    expect(errors).toEqual([]);
  });

  it('concurrent backup requests share one run', async () => {
    const backupDir = tempDir();
    const { store } = openFixture(1, 1, { backup: { dir: backupDir } });
    const [x, y] = await Promise.all([store.backupNow(), store.backupNow()]);
    expect(x.file).toBe(y.file);
    expect(store.listBackups()).toHaveLength(1);
  });

  it('without a backup directory, backupNow says so', async () => {
    const { store } = openFixture(1, 1);
    await expect(store.backupNow()).rejects.toThrow(/no backup directory/);
  });
});
