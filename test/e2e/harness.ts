import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { openTill, type Till } from '../../src-main/core/open-till';
import { buildRendererIfStale, REPO_ROOT, RENDERER_OUT } from '../../src-main/host/renderer-build';
import { startWebHost, type WebHost } from '../../src-main/host/web-host';

/*
 * A real till for browser tests: a branch store file in a temp dir with the
 * demo catalog, the web host on loopback, and Debian's Chromium driven by
 * Playwright. The parts that need central (issue 4) will add a server here.
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
