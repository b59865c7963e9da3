import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { actor, cash, openFixture } from './helpers';

/*
 * The WAL index (-shm) header says how many log frames exist (mxFrame, offset
 * 16 of the index header) and how many have been copied into the database
 * (nBackfill, first field of the checkpoint info at offset 96). Native byte
 * order: little-endian here.
 */
function walProgress(file: string): { frames: number; backfilled: number } {
  const shm = readFileSync(`${file}-shm`);
  return { frames: shm.readUInt32LE(16), backfilled: shm.readUInt32LE(96) };
}

async function sellSome(n: number, checkpointIntervalMs: number | false) {
  const { store, file, products } = openFixture(3, 1000, { checkpointIntervalMs });
  for (let i = 0; i < n; i += 1) {
    store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: products[i % 3]!.id, quantity: 1 }], payments: [cash(1000)] });
  }
  await new Promise((r) => setTimeout(r, 300));
  return { store, progress: walProgress(file) };
}

describe('background WAL checkpoints', () => {
  it('a separate thread copies the log into the database while the till is idle', async () => {
    const { progress } = await sellSome(20, 50);
    expect(progress.frames).toBeGreaterThan(0);
    expect(progress.backfilled).toBe(progress.frames);
  });

  it('without it, a small log stays uncheckpointed (the control for the test above)', async () => {
    const { progress } = await sellSome(20, false);
    expect(progress.frames).toBeGreaterThan(0);
    expect(progress.backfilled).toBe(0);
  });

  it('close stops the thread first: the main connection is then the last one and removes the log', async () => {
    const { store } = await sellSome(5, 20);
    expect(existsSync(`${store.file}-wal`)).toBe(true);
    await store.close();
    expect(existsSync(`${store.file}-wal`)).toBe(false);
  });
});
