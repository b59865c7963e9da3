import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { openTill, type Till } from '../../src-main/core/open-till';
import { createFileVault } from '../../src-main/sync/vault';
import { makeConfig } from '../../src-server/config';
import { demoEnrollmentCode, seedDemoTenant } from '../../src-server/demo/demo-tenant';
import { makeLogger, startServer, type RunningServer } from '../../src-server/http/server';
import { buildRendererIfStale, REPO_ROOT, RENDERER_OUT } from '../../src-main/host/renderer-build';
import { startWebHost, type WebHost } from '../../src-main/host/web-host';

/*
 * A real till for browser tests: a branch store file in a temp dir with the
 * demo catalog, the web host on loopback, and Debian's Chromium driven by
 * Playwright. `startCentralTill` adds the real central server (PGlite on disk,
 * HTTP on loopback) with `npm start`'s demo tenant, and enrols the till to it.
 */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
export const SCREENSHOTS = join(REPO_ROOT, 'test-results/screenshots');

export interface BrowserTill { till: Till; host: WebHost; browser: Browser; dir: string; close(): Promise<void> }

export async function startBrowserTill(opts: { products?: number; idleLockMs?: number } = {}): Promise<BrowserTill> {
  buildRendererIfStale(() => undefined);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'bp-e2e-'));
  const till = await openTill({ dataDir: dir, seedDemo: true, demoProducts: opts.products ?? 300, ...(opts.idleLockMs ? { idleLockMs: opts.idleLockMs } : {}) });
  const host = await startWebHost({ core: till.core, rendererDir: RENDERER_OUT });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    till, host, browser, dir,
    async close() {
      await browser.close();
      await host.close();
      await till.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function openPage(t: BrowserTill, lang: 'en' | 'ar' = 'en'): Promise<Page> {
  const context = await t.browser.newContext({ viewport: { width: 1280, height: 860 } });
  await context.addInitScript({ content: `localStorage.setItem('bp.lang', ${JSON.stringify(lang)});` });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(t.host.url);
  return page;
}

export async function signIn(page: Page, userId: string, pin: string): Promise<void> {
  await page.getByTestId(`user-${userId}`).click();
  await page.getByTestId('pin').fill(pin);
  await page.keyboard.press('Enter');
  await page.getByTestId('signed-in-user').waitFor();
}

/** What a barcode scanner does: the digits in a fast burst, then Enter. */
export async function scan(page: Page, code: string): Promise<void> {
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
}

export interface CentralTill extends BrowserTill {
  central: RunningServer;
  /** Stops central (requests in flight finish, the database closes); the till goes on alone. */
  stopCentral(): Promise<void>;
  /** Starts central again on the same data folder and port, as after a power cut at head office. */
  restartCentral(): Promise<RunningServer>;
}

export async function startCentralTill(): Promise<CentralTill> {
  buildRendererIfStale(() => undefined);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'bp-e2e-central-'));
  const config = (port: number) => makeConfig({ dataDir: join(dir, 'central'), port, host: '127.0.0.1', outboxWorker: true, shutdownTimeoutMs: 2000 });
  let central = await startServer(config(0), makeLogger(config(0)));
  const port = Number(new URL(central.url).port);
  await seedDemoTenant(central.db);
  const tillDir = join(dir, 'till');
  const vault = createFileVault(tillDir);
  const till = await openTill({
    dataDir: tillDir, seedDemo: true,
    // A long timer: in these tests sync runs when an operation nudges it, when asked, or when the probe finds central back.
    central: { vault, enroll: { serverUrl: central.url, code: await demoEnrollmentCode(central.db), deviceName: 'e2e till' }, engine: { intervalMs: 60_000, probeIntervalMs: 300 } },
  });
  const host = await startWebHost({ core: till.core, rendererDir: RENDERER_OUT });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  let running = true;
  const t: CentralTill = {
    till, host, browser, dir,
    get central() { return central; },
    async stopCentral() {
      running = false;
      await central.stop('test');
    },
    async restartCentral() {
      central = await startServer(config(port), makeLogger(config(port)));
      running = true;
      return central;
    },
    async close() {
      await browser.close();
      await host.close();
      await till.close();
      if (running) await central.stop('test');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}
