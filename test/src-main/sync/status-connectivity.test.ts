import { describe, expect, it } from 'vitest';
import { createConnectivity, type Reachability } from '../../../src-main/sync/connectivity';
import { createStatusPublisher } from '../../../src-main/sync/status';
import type { SyncStatus } from '../../../src-shared/sync';

describe('status publisher', () => {
  it('emits only when the status really changes, and survives a throwing listener', () => {
    const p = createStatusPublisher();
    const seen: SyncStatus[] = [];
    p.subscribe(() => {
      throw new Error('a broken screen');
    });
    const off = p.subscribe((s) => seen.push(s));
    p.update({ state: 'online' });
    p.update({ state: 'online' });
    p.update({ pendingOps: 3, progress: { done: 0, total: 3 } });
    p.update({ progress: { done: 0, total: 3 } });
    off();
    p.update({ state: 'offline' });
    expect(seen.map((s) => [s.state, s.pendingOps])).toEqual([['online', 0], ['online', 3]]);
    expect(p.current.state).toBe('offline');
  });
});

describe('connectivity', () => {
  it('follows request outcomes and fires onOnline on each return', () => {
    const changes: Reachability[] = [];
    let onlines = 0;
    const c = createConnectivity({ probe: async () => true, onChange: (s) => changes.push(s), onOnline: () => { onlines += 1; } });
    c.report(false);
    c.report(false);
    c.report(true);
    c.report(true);
    c.report(false);
    c.report(true);
    expect(changes).toEqual(['offline', 'online', 'offline', 'online']);
    expect(onlines).toBe(2);
  });

  it('probes a quiet link periodically and notices central coming back', async () => {
    let up = false;
    let probes = 0;
    let onlines = 0;
    const c = createConnectivity({ probe: async () => { probes += 1; return up; }, intervalMs: 60, onOnline: () => { onlines += 1; } });
    c.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(c.state).toBe('offline');
    up = true;
    await new Promise((r) => setTimeout(r, 200));
    c.stop();
    expect(c.state).toBe('online');
    expect(onlines).toBe(1);
    expect(probes).toBeGreaterThanOrEqual(2);
    // One probe at a time even when asked twice at once.
    const before = probes;
    await Promise.all([c.check(), c.check()]);
    expect(probes - before).toBe(1);
  });
});
