import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright';
import { describe, expect, it } from 'vitest';
import { electronBinary } from '../../src-main/electron/binary';
import { buildRendererIfStale, REPO_ROOT } from '../../src-main/host/renderer-build';
import { scan, SCREENSHOTS } from './harness';
import { demoCatalog } from '../../src-main/demo/catalog';

/*
 * The same sign-in and sale inside Electron, where its binary is installed.
 * Where it is not (ELECTRON_SKIP_BINARY_DOWNLOAD, as on CI here) the spec is
 * reported skipped: it never passes without having run.
 */
const bin = electronBinary();

describe.skipIf(bin === null)('the till in Electron', () => {
  it('a cashier signs in and completes a sale', async () => {
    buildRendererIfStale(() => undefined);
    const userData = mkdtempSync(join(tmpdir(), 'bp-electron-'));
    const app = await electron.launch({ executablePath: bin ?? '', args: [REPO_ROOT, `--user-data-dir=${userData}`] });
    try {
      const page = await app.firstWindow();
      page.setDefaultTimeout(15_000);
      expect(await page.evaluate('typeof window.branch?.invoke')).toBe('function');
      expect(await page.evaluate('typeof require')).toBe('undefined');
      await page.getByTestId('user-rana').click();
      await page.getByTestId('pin').fill('1111');
      await page.keyboard.press('Enter');
      const barcode = demoCatalog(1)[0]?.product.barcodes[0] ?? '';
      await scan(page, barcode);
      await page.getByTestId('cart-line').waitFor();
      await page.keyboard.press('F12');
      await page.keyboard.press('Enter');
      await page.getByTestId('receipt').waitFor();
      expect(Number(await page.getByTestId('receipt-no').textContent())).toBeGreaterThanOrEqual(1);
      await page.screenshot({ path: join(SCREENSHOTS, 'electron-receipt.png') });
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
