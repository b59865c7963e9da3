import { afterEach, describe, expect, it } from 'vitest';
import { createSyncClient } from '../../src-main/sync/client';
import { adjustOp } from '../src-main/sync/ops';
import { startProtocolServer, type ProtocolServer } from '../src-main/sync/protocol-server';
import { startFaultProxy, type FaultProxy } from './proxy';

let server: ProtocolServer | null = null;
let proxy: FaultProxy | null = null;
afterEach(async () => {
  await proxy?.close();
  await server?.close();
  proxy = null;
  server = null;
});

async function setup(seed = 1) {
  server = await startProtocolServer();
  proxy = await startFaultProxy({ target: server.url, seed });
  const token = server.token;
  const client = (branch: string) => createSyncClient({ baseUrl: proxy!.url(branch), token: () => token, timeoutMs: 2000 });
  return { server, proxy, client };
}

describe('fault proxy', () => {
  it('forwards cleanly per branch prefix', async () => {
    const { server, proxy, client } = await setup();
    const r = await client('a').push([adjustOp(1)]);
    expect(r.ok).toBe(true);
    expect(server.lastAppliedSeq).toBe(1);
    expect(proxy.stats('a').forwarded).toBe(1);
    expect(proxy.stats('b').forwarded).toBe(0);
  });

  it('cuts one branch off while another still gets through', async () => {
    const { server, proxy, client } = await setup();
    proxy.setFaults('a', { cut: true });
    const cut = await client('a').push([adjustOp(1)]);
    expect(cut.ok ? null : cut.failure.kind).toBe('transient');
    expect(server.pushRequests).toBe(0);
    expect(await client('b').probe()).toBe(true);
    proxy.heal('a');
    expect((await client('a').push([adjustOp(1)])).ok).toBe(true);
  });

  it('drops a response after central committed: the branch sees a failure for applied work', async () => {
    const { server, proxy, client } = await setup();
    proxy.setFaults('a', { dropResponse: 1 });
    const r = await client('a').push([adjustOp(1)]);
    expect(r.ok).toBe(false);
    expect(server.lastAppliedSeq).toBe(1);
    expect(proxy.stats('a').droppedResponses).toBe(1);
  });

  it('drops a request before central sees it', async () => {
    const { server, proxy, client } = await setup();
    proxy.setFaults('a', { dropRequest: 1 });
    expect((await client('a').push([adjustOp(1)])).ok).toBe(false);
    expect(server.pushRequests).toBe(0);
  });

  it('duplicates and reorders: central receives requests twice and late', async () => {
    const { server, proxy, client } = await setup();
    proxy.setFaults('a', { duplicate: 1 });
    const op1 = adjustOp(1);
    expect((await client('a').push([op1])).ok).toBe(true);
    await proxy.settle();
    expect(server.pushRequests).toBe(2);
    expect(server.applied).toHaveLength(1);
    proxy.setFaults('a', { duplicate: 0, reorder: 1 });
    const late = await client('a').push([op1, adjustOp(2)]);
    expect(late.ok).toBe(false);
    expect(server.pushRequests).toBe(2);
    await proxy.settle();
    expect(server.pushRequests).toBe(3);
    expect(server.lastAppliedSeq).toBe(2);
    expect(proxy.stats('a')).toMatchObject({ duplicated: 1, reordered: 1 });
  });

  it('delays by the configured latency', async () => {
    const { proxy, client } = await setup();
    proxy.setFaults('a', { delayMs: [120, 120] });
    const t = Date.now();
    await client('a').probe();
    expect(Date.now() - t).toBeGreaterThanOrEqual(110);
  });

  it('replays the same fault decisions from the same seed', async () => {
    const pattern = async (seed: number) => {
      const s = await setup(seed);
      s.proxy.setFaults('a', { dropRequest: 0.5 });
      const out: boolean[] = [];
      for (let i = 0; i < 12; i += 1) out.push(await s.client('a').probe());
      await s.proxy.close();
      await s.server.close();
      proxy = null;
      server = null;
      return out;
    };
    const a = await pattern(42);
    expect(await pattern(42)).toEqual(a);
    expect(a).toContain(true);
    expect(a).toContain(false);
  });
});
