import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../../src-server/config';
import { startServer, type RunningServer } from '../../../src-server/http/server';
import { createTestDatabase, databaseKinds } from '../support/databases';
import { seedTenant } from '../support/seed';
import { ADMIN_TOKEN } from './harness';

const silent = pino({ level: 'silent' });
const root = join(__dirname, '..', '..', '..');

interface Child { url: Promise<string>; out: () => string; exit: Promise<number | null>; kill(sig: NodeJS.Signals): void }

/** `npm run server` as a user runs it (tsx on main.ts), on a port the OS picks. */
function runServer(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-server/main.ts', '--port', '0', ...args], {
    cwd: root, env: { ...process.env, BRANCHPOS_ADMIN_TOKEN: '', DATABASE_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" within 60 s:\n${out}`)), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /"url":"(http:\/\/[^"]+)","msg":"listening"/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => { clearTimeout(timer); reject(new Error(`exited before listening:\n${out}`)); });
  });
  url.catch(() => undefined);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { url, out: () => out, exit, kill: (sig) => child.kill(sig) };
}

describe('npm run server on a fresh machine (PGlite in a data folder)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bp-server-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts, migrates, answers /readyz, prints the admin token once, and stops cleanly on SIGTERM', async () => {
    const first = runServer(['--data-dir', join(dir, 'data'), '--no-outbox-worker']);
    const url = await first.url;
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    const token = /Admin token \(shown once, store it now\): (\S+)/.exec(first.out())?.[1];
    expect(token).toMatch(/^bpa\./);
    expect((await fetch(`${url}/v1/admin/tenants`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    // A second server on the same folder would corrupt it: refused while the first runs.
    const intruder = runServer(['--data-dir', join(dir, 'data'), '--no-outbox-worker']);
    expect(await intruder.exit).toBe(1);
    expect(intruder.out()).toMatch(/another server \(pid \d+\) is using the data folder/);
    first.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(first.out()).toContain('"msg":"stopped"');

    // Second start on the same data: same token works, nothing printed again.
    const second = runServer(['--data-dir', join(dir, 'data'), '--no-outbox-worker']);
    const url2 = await second.url;
    expect((await fetch(`${url2}/v1/admin/tenants`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(second.out()).not.toContain('Admin token');
    second.kill('SIGINT');
    expect(await second.exit).toBe(0);
  }, 120_000);

  it('exits non-zero with the reason when a setting is wrong', async () => {
    const bad = runServer(['--data-dir', join(dir, 'data'), '--port', 'eighty']);
    expect(await bad.exit).toBe(2);
    expect(bad.out()).toMatch(/port/);
  }, 60_000);
});

describe.each(databaseKinds)('graceful shutdown (%s)', (kind) => {
  it('finishes a request in flight, refuses new ones, then closes the database', async () => {
    const tdb = kind === 'postgres' ? await createTestDatabase('postgres') : null;
    let server: RunningServer | undefined;
    try {
      server = await startServer(makeConfig({ port: 0, adminToken: ADMIN_TOKEN, shutdownTimeoutMs: 60_000, ...(tdb?.appUrl ? { databaseUrl: tdb.appUrl } : {}) }), silent);
      const s = await seedTenant(server.db, { warehouses: 1, products: 1, stock: 5 });
      const device = s.devices[0];
      if (!device) throw new Error('no device');
      // Hold the device row so the push waits inside the server.
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => { release = r; });
      let locked: () => void = () => undefined;
      const isLocked = new Promise<void>((r) => { locked = r; });
      const holder = server.db.withTenant(s.tenantId, async (tx) => {
        await tx.query('SELECT 1 FROM devices WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [s.tenantId, device.deviceId]);
        locked();
        await gate;
      });
      await isLocked;
      const op = {
        opId: '0190f0f0-0000-7000-8000-00000000a001', seq: 1, occurredAt: new Date().toISOString(), type: 'sale',
        payload: { saleId: '0190f0f0-0000-7000-8000-00000000b001', receiptNo: 1, currency: 'USD', lines: [{ productId: s.productIds[0], quantity: 2, unitPriceMinor: 100, taxRateBp: 0 }], payments: [] },
      };
      const inFlight = fetch(`${server.url}/v1/sync/push`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${device.token}` }, body: JSON.stringify({ ops: [op] }),
      });
      // The request is in the server once its connection is open and it had a moment to be parsed.
      const http = server.app.server;
      for (let i = 0; i < 200; i += 1) {
        const n = await new Promise<number>((r) => http.getConnections((_e, c) => r(c)));
        if (n > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      await new Promise((r) => setTimeout(r, 500));
      const stopped = server.stop('test');
      await new Promise((r) => setTimeout(r, 100));
      const late = await fetch(`${server.url}/healthz`).then((r) => r.status, () => 'refused');
      expect([503, 'refused']).toContain(late);
      release();
      await holder;
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ lastAppliedSeq: 1, results: [{ status: 'applied' }] });
      // Done because the work is done, not because the shutdown timeout (60 s) cut it short.
      const doneBy = Date.now();
      await stopped;
      expect(Date.now() - doneBy).toBeLessThan(5000);
      await expect(server.db.ping()).rejects.toThrow();
    } finally {
      await tdb?.drop();
    }
  }, 60_000);
});

describe.runIf(databaseKinds.includes('postgres'))('refuses to start on PostgreSQL as a role that RLS would not bind', () => {
  it('refuses the superuser and the table owner, and starts as the application role', async () => {
    const tdb = await createTestDatabase('postgres');
    try {
      const superUrl = tdb.superUrl as string;
      const ownerUrl = (() => { const u = new URL(superUrl); u.username = 'branchpos_owner'; return u.toString(); })();
      await expect(startServer(makeConfig({ port: 0, adminToken: ADMIN_TOKEN, databaseUrl: superUrl }), silent)).rejects.toThrow(/refusing to start.*superuser/);
      await expect(startServer(makeConfig({ port: 0, adminToken: ADMIN_TOKEN, databaseUrl: ownerUrl }), silent)).rejects.toThrow(/refusing to start.*(BYPASSRLS|owns)/);
      // The same through `npm run server`: a fatal log line naming the reason, exit code 1.
      const child = runServer([], { DATABASE_URL: superUrl });
      expect(await child.exit).toBe(1);
      expect(child.out()).toMatch(/"level":60,.*"msg":"cannot start: refusing to start: the database role .{1,3}postgres.{1,3} is a superuser/);
      const ok = await startServer(makeConfig({ port: 0, adminToken: ADMIN_TOKEN, databaseUrl: tdb.appUrl as string }), silent);
      expect((await fetch(`${ok.url}/readyz`)).status).toBe(200);
      await ok.stop();
    } finally {
      await tdb.drop();
    }
  }, 60_000);
});
