import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID, DEMO_WAREHOUSES, demoCatalog } from '../../../src-shared/demo/catalog';
import { uuidv7 } from '../../../src-shared/ids';
import { electronBinary } from '../../../src-main/electron/binary';
import { REPO_ROOT } from '../../../src-main/host/renderer-build';

/*
 * `npm start` as a user runs it: a child process with its own data dir. The
 * first start seeds central, enrols the till and prints the URL; a sale made
 * over the web host's API arrives at central (read back through the admin
 * API with the token printed once); a second start reuses the data: no new
 * admin token, no re-seed, the same device.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'bp-start-'));
const children: ChildProcess[] = [];
const noElectron = electronBinary() === null;

interface Started { child: ChildProcess; out: () => string; tillUrl: string; centralUrl: string }

function start(extra: string[] = []): Promise<Started> {
  // Without the Electron binary, the plain command is what a user types; with it, --web keeps the test in the browser host.
  const args = ['src-main/cli/start.ts', '--data-dir', dataDir, '--port', '0', ...(noElectron ? [] : ['--web']), ...extra];
  const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BRANCHPOS_DATA_DIR: '' } });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (b: Buffer) => { out += b.toString('utf8'); });
  child.stderr?.on('data', (b: Buffer) => { out += b.toString('utf8'); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL line within 90 s:\n${out}`)), 90_000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`npm start exited (${code}):\n${out}`)); });
    const poll = setInterval(() => {
      const till = /Open the till: (\S+)/.exec(out);
      const central = /Central API: (http:\/\/\S+)/.exec(out);
      if (till?.[1] && central?.[1]) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve({ child, out: () => out, tillUrl: till[1], centralUrl: central[1] });
      }
    }, 100);
  });
}

async function stop(s: Started): Promise<void> {
  if (s.child.exitCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

async function api(tillUrl: string, method: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const u = new URL(tillUrl);
  const r = await fetch(`${u.origin}/api/${method}?token=${u.searchParams.get('token') ?? ''}`, {
    method: 'POST', headers: { 'content-type': 'application/json', origin: u.origin }, body: JSON.stringify(input),
  });
  return await r.json() as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  const product = demoCatalog(300)[0]!.product;
  let adminToken = '';
  let deviceId = '';
  let centralUrl = '';

  async function centralQuantity(centralUrl: string): Promise<number> {
    const r = await fetch(`${centralUrl}/v1/admin/tenants/${DEMO_TENANT_ID}/levels?warehouseId=${DEMO_WAREHOUSES.beirut.id}&productId=${product.id}`,
      { headers: { authorization: `Bearer ${adminToken}` } });
    expect(r.status).toBe(200);
    const rows = await r.json() as Array<{ quantity: number }>;
    return rows[0]?.quantity ?? 0;
  }

  it('brings up central and an enrolled till; a sale over the web host reaches central', async () => {
    const s = await start();
    try {
      if (noElectron) expect(s.out()).toContain('The Electron binary is not installed here');
      expect(s.out()).toContain('demo tenant seeded with 300 products');
      adminToken = /Admin token \(shown once, store it now\): (\S+)/.exec(s.out())?.[1] ?? '';
      expect(adminToken).not.toBe('');
      deviceId = /enrolled as device (\S+)/.exec(s.out())?.[1] ?? '';
      centralUrl = s.centralUrl;
      expect(s.out()).toMatch(/cashier +Rana Haddad \(rana\): 1357/);
      // The users arrive with the first pull, which the engine starts by itself.
      const deadline0 = Date.now() + 15_000;
      while (Date.now() < deadline0 && ((await api(s.tillUrl, 'listUsers', {})).value as unknown[]).length === 0) await new Promise((r) => setTimeout(r, 200));
      expect(await api(s.tillUrl, 'signIn', { userId: 'rana', pin: '1357' })).toMatchObject({ ok: true });
      expect(await api(s.tillUrl, 'syncNow', {})).toMatchObject({ ok: true, value: { state: 'online' } });
      const before = await centralQuantity(s.centralUrl);
      expect(await api(s.tillUrl, 'lookupProduct', { code: product.barcodes?.[0] ?? '' })).toMatchObject({ ok: true, value: { quantity: before } });
      const sale = await api(s.tillUrl, 'sell', { opId: uuidv7(), lines: [{ productId: product.id, quantity: 1 }], payments: [{ method: 'cash', currency: 'USD', amountMinor: 50_00 }] });
      expect(sale).toMatchObject({ ok: true });
      // No syncNow: the engine is nudged by the sale and sends it by itself.
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && await centralQuantity(s.centralUrl) !== before - 1) await new Promise((r) => setTimeout(r, 200));
      expect(await centralQuantity(s.centralUrl)).toBe(before - 1);
      expect(await api(s.tillUrl, 'expectedDeliveries', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await api(s.tillUrl, 'signIn', { userId: 'karim', pin: '2468' })).toMatchObject({ ok: true });
      const expected = await api(s.tillUrl, 'expectedDeliveries', {});
      expect((expected.value as unknown[]).length).toBe(1);
    } finally {
      await stop(s);
    }
  }, 150_000);

  it('reuses the data on a second start: no new admin token, no re-seed, the same device, the sale still there', async () => {
    const s = await start();
    try {
      expect(s.out()).not.toContain('Admin token');
      expect(s.out()).not.toContain('demo tenant seeded');
      expect(s.out()).toContain(`enrolled as device ${deviceId}`);
      // Central comes back where the till's enrollment points.
      expect(s.centralUrl).toBe(centralUrl);
      expect(await api(s.tillUrl, 'signIn', { userId: 'maya', pin: '8642' })).toMatchObject({ ok: true });
      expect(await api(s.tillUrl, 'syncNow', {})).toMatchObject({ ok: true, value: { state: 'online', pendingOps: 0 } });
      expect(await api(s.tillUrl, 'saleByReceiptNo', { receiptNo: 1 })).toMatchObject({ ok: true, value: { receiptNo: 1 } });
    } finally {
      await stop(s);
    }
  }, 150_000);

  it('--reset starts over: central re-seeded with a new admin token, the till enrolled again as a new device', async () => {
    const s = await start(['--reset']);
    try {
      expect(s.out()).toContain('Admin token');
      expect(s.out()).toContain('demo tenant seeded with 300 products');
      const again = /enrolled as device (\S+)/.exec(s.out())?.[1];
      expect(again).toBeDefined();
      expect(again).not.toBe(deviceId);
    } finally {
      await stop(s);
    }
  }, 150_000);
});
