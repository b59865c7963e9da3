import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTill, type Till } from '../../../src-main/core/open-till';
import { startWebHost, type WebHost } from '../../../src-main/host/web-host';

let dir: string;
let till: Till;
let host: WebHost;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bp-host-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>till</title>');
  writeFileSync(join(dir, 'secret.txt'), 'not for the browser');
  till = await openTill({ dataDir: join(dir, 'data'), seedDemo: true, demoProducts: 20 });
  host = await startWebHost({ core: till.core, rendererDir: renderer });
});
afterAll(async () => { await host.close(); await till.close(); rmSync(dir, { recursive: true, force: true }); });

const base = () => `http://127.0.0.1:${host.port}`;
const auth = () => ({ Authorization: `Bearer ${host.token}` });
const post = (method: string, body: unknown, headers: Record<string, string> = auth()) =>
  fetch(`${base()}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('web host', () => {
  it('listens on loopback only and refuses every path without the token', async () => {
    expect(host.url.startsWith('http://127.0.0.1:')).toBe(true);
    for (const res of [await fetch(`${base()}/`), await post('whoAmI', {}, {}), await fetch(`${base()}/api/events`), await post('whoAmI', {}, { Authorization: 'Bearer wrong' })]) {
      expect(res.status).toBe(401);
    }
  });

  it('turns the printed token into an HttpOnly cookie and serves the screens with a strict CSP', async () => {
    const res = await fetch(host.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const again = await fetch(`${base()}/`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(again.status).toBe(200);
    // Nothing outside the build: a traversal gets the page, not the file.
    const escape = await fetch(`${base()}/..%2fsecret.txt`, { headers: auth() });
    expect(await escape.text()).not.toContain('not for the browser');
  });

  it('refuses a foreign Host header (DNS rebinding) and a cross-origin POST', async () => {
    const status = await new Promise<number>((done, fail) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/api/whoAmI', method: 'POST', headers: { Host: `evil.example:${host.port}`, ...auth(), 'Content-Type': 'application/json' } }, (res) => { res.resume(); done(res.statusCode ?? 0); });
      req.on('error', fail);
      req.end('{}');
    });
    expect(status).toBe(403);
    expect((await post('whoAmI', {}, { ...auth(), Origin: 'http://evil.example' })).status).toBe(403);
  });

  it('validates method names and inputs against the contract', async () => {
    const unknown = await post('dropTables', {});
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const bad = await post('signIn', { userId: 'rana', pin: '12' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'validation' } });
    const notJson = await fetch(`${base()}/api/whoAmI`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...auth() }, body: '{nope' });
    expect(notJson.status).toBe(400);
    const get = await fetch(`${base()}/api/whoAmI`, { headers: auth() });
    expect(get.status).toBe(405);
    const locked = await post('lookupProduct', { code: 'SKU-000001' });
    expect(await locked.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('streams the core events over SSE', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base()}/api/events`, { headers: auth(), signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no stream');
    let text = '';
    const seen = (async () => {
      while (!text.includes('event: session')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    })();
    const signedIn = await (await post('signIn', { userId: 'rana', pin: '1111' })).json();
    expect(signedIn).toMatchObject({ ok: true, value: { user: { userId: 'rana' } } });
    await seen;
    controller.abort();
    const frame = text.slice(text.indexOf('event: session'));
    const data = JSON.parse(frame.split('\n')[1]?.replace(/^data: /, '') ?? '{}') as { user?: { userId: string } };
    expect(data.user?.userId).toBe('rana');
  });

  it('opens every event stream with the sync status as it is now, so a page never keeps a stale one', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base()}/api/events`, { headers: auth(), signal: controller.signal });
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no stream');
    let text = '';
    while (!text.includes('event: syncStatus') || !text.slice(text.indexOf('event: syncStatus')).includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const frame = text.slice(text.indexOf('event: syncStatus'));
    const data = JSON.parse(frame.split('\n')[1]?.replace(/^data: /, '') ?? '{}') as unknown;
    const now = await (await post('syncStatus', {})).json() as { ok: boolean; value: unknown };
    expect(now.ok).toBe(true);
    expect(data).toEqual(now.value);
  });
});
