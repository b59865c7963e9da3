import { afterEach, describe, expect, it } from 'vitest';
import { createSyncEngine, type SyncEngine } from '../../../src-main/sync/engine';
import { enrollDevice } from '../../../src-main/sync/enroll';
import { createFileVault } from '../../../src-main/sync/vault';
import { uuidv7 } from '../../../src-shared/ids';
import type { SyncStatus } from '../../../src-shared/sync';
import { startFaultProxy, type FaultProxy } from '../../sim/proxy';
import { actor, cash, DEVICE, openFixture, TENANT, tempDir, WAREHOUSE } from '../store/helpers';
import { startProtocolServer, type ProtocolServer } from './protocol-server';

/*
 * The engine over the real branch store (SQLite file) and a real HTTP server
 * keeping the protocol's seq rules, reached through the fault proxy so the
 * link can be cut and healed.
 */

const identity = { tenantId: TENANT, warehouseId: WAREHOUSE, deviceId: DEVICE };
let server: ProtocolServer | null = null;
let proxy: FaultProxy | null = null;
let engine: SyncEngine | null = null;
afterEach(async () => {
  await engine?.stop();
  await proxy?.close();
  await server?.close();
  engine = null;
  proxy = null;
  server = null;
});

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

async function setup() {
  const f = openFixture(2, 50);
  server = await startProtocolServer({ identity });
  proxy = await startFaultProxy({ target: server.url, seed: 7 });
  const vault = createFileVault(tempDir());
  engine = createSyncEngine({
    store: f.store, vault, intervalMs: 60_000, probeIntervalMs: 80, backoff: { baseMs: 20, capMs: 100 }, pushBatch: 10, requestTimeoutMs: 2000,
  });
  const seen: SyncStatus[] = [];
  engine.status.subscribe((s) => seen.push(s));
  const sell = () => f.store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: f.products[0]!.id, quantity: 1 }], payments: [cash(1000)] });
  return { f, server, proxy, vault, engine, seen, sell };
}

describe('sync engine', () => {
  it('says not_enrolled until a token is in the vault, then drains the outbox with progress', async () => {
    const { server, proxy, vault, engine, seen, sell } = await setup();
    for (let i = 0; i < 25; i += 1) sell();
    expect(await engine.syncNow()).toEqual({ kind: 'not_enrolled' });
    expect(engine.status.current).toMatchObject({ state: 'not_enrolled', pendingOps: 25 });
    await enrollDevice({ serverUrl: proxy.url('till1'), code: 'ENROLL-123456', deviceName: 'Till 1', vault });
    expect(await engine.syncNow()).toEqual({ kind: 'synced', pushed: 25, pages: 1 });
    expect(server.applied).toHaveLength(25);
    expect(engine.status.current).toMatchObject({ state: 'online', pendingOps: 0, oldestPendingAgeMs: null, progress: null, lastError: null });
    expect(engine.status.current.lastSyncAt).not.toBeNull();
    const progress = seen.map((s) => s.progress).filter((p) => p !== null);
    expect(progress).toEqual([{ done: 0, total: 25 }, { done: 10, total: 25 }, { done: 20, total: 25 }, { done: 25, total: 25 }]);
    expect(seen.some((s) => s.state === 'syncing')).toBe(true);
    expect(JSON.stringify(seen)).not.toContain(server.token);
  });

  it('goes offline when the link is cut, keeps selling, and drains by itself when the link returns', async () => {
    const { f, server, proxy, vault, engine, sell } = await setup();
    await enrollDevice({ serverUrl: proxy.url('till1'), code: 'ENROLL-123456', deviceName: 'Till 1', vault });
    proxy.setFaults('till1', { cut: true });
    engine.start();
    await until(() => engine.status.current.state === 'offline');
    for (let i = 0; i < 5; i += 1) sell();
    engine.nudge();
    engine.refresh();
    expect(engine.status.current.pendingOps).toBe(5);
    expect(engine.status.current.oldestPendingAgeMs).not.toBeNull();
    expect(engine.status.current.lastError?.code).toBe('unavailable');
    proxy.heal('till1');
    await until(() => engine.status.current.state === 'online' && engine.status.current.pendingOps === 0);
    expect(server.applied).toHaveLength(5);
    expect(f.store.verifyConsistency().ok).toBe(true);
  });

  it('survives lost responses and duplicates: every op applied once, none left pending', async () => {
    const { f, server, proxy, vault, engine, sell } = await setup();
    await enrollDevice({ serverUrl: proxy.url('till1'), code: 'ENROLL-123456', deviceName: 'Till 1', vault });
    for (let i = 0; i < 40; i += 1) sell();
    proxy.setFaults('till1', { dropResponse: 0.4, duplicate: 0.3, reorder: 0.2 });
    for (let i = 0; i < 60 && f.store.sync.counters().pendingOps > 0; i += 1) await engine.syncNow();
    proxy.heal('till1');
    await engine.syncNow();
    await proxy.settle();
    expect(f.store.sync.counters().pendingOps).toBe(0);
    expect(server.applied.map((o) => o.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(proxy.stats('till1').droppedResponses).toBeGreaterThan(0);
  });

  it('answers a central too slow for big batches with smaller ones, applying nothing twice', async () => {
    const f = openFixture(1, 100);
    server = await startProtocolServer({ slowAbove: { ops: 10, ms: 400 }, identity });
    const vault = createFileVault(tempDir());
    await enrollDevice({ serverUrl: server.url, code: 'ENROLL-123456', deviceName: 'Till', vault });
    engine = createSyncEngine({ store: f.store, vault, pushBatch: 40, requestTimeoutMs: 150, backoff: { baseMs: 5, capMs: 10 } });
    for (let i = 0; i < 60; i += 1) f.store.sell({ opId: uuidv7(), actorId: actor, lines: [{ productId: f.products[0]!.id, quantity: 1 }], payments: [cash(1000)] });
    const outcomes: string[] = [];
    for (let i = 0; i < 10 && f.store.sync.counters().pendingOps > 0; i += 1) outcomes.push((await engine.syncNow()).kind);
    expect(outcomes.slice(0, 2)).toEqual(['failed', 'failed']);
    expect(outcomes.at(-1)).toBe('synced');
    expect(f.store.sync.counters().pendingOps).toBe(0);
    expect(server.applied.map((o) => o.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('refuses to send this database\'s ops under another device\'s enrollment', async () => {
    const { f, server, vault, engine, sell } = await setup();
    vault.save({ serverUrl: server.url, ...identity, deviceId: uuidv7(), deviceName: 'other till', token: server.token, enrolledAt: new Date().toISOString() });
    sell();
    expect(await engine.syncNow()).toMatchObject({ kind: 'failed', failure: { kind: 'permanent', error: { code: 'forbidden' } } });
    expect(server.pushRequests).toBe(0);
    expect(f.store.sync.counters().pendingOps).toBe(1);
  });

  it('keeps a permanent refusal of the whole request visible and retries later instead of spinning', async () => {
    const { f, server, proxy, sell } = await setup();
    const vault = createFileVault(tempDir());
    // Enrolled once, but central no longer accepts this token (revoked): 401 on every request.
    vault.save({ serverUrl: proxy.url('till1'), ...identity, deviceName: 'x', token: `bpd.revoked.${'y'.repeat(40)}`, enrolledAt: new Date().toISOString() });
    const e2 = createSyncEngine({ store: f.store, vault, backoff: { baseMs: 50, capMs: 50 } });
    sell();
    e2.start();
    await until(() => e2.status.current.lastError !== null);
    await new Promise((r) => setTimeout(r, 300));
    await e2.stop();
    expect(e2.status.current).toMatchObject({ state: 'online', pendingOps: 1, lastError: { code: 'unauthorized' } });
    // Backed off between attempts: a handful of requests in 300 ms, not hundreds.
    expect(server.pushRequests).toBe(0);
    expect(proxy.stats('till1').forwarded).toBeLessThan(15);
  });
});
