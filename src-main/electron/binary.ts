import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where the Electron binary is, or null where it was never downloaded
 * (ELECTRON_SKIP_BINARY_DOWNLOAD). Reads the package's path.txt instead of
 * requiring `electron`, which throws when the binary is missing.
 */
export function electronBinary(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('electron/package.json');
    const dir = dirname(pkg);
    const pathTxt = join(dir, 'path.txt');
    if (!existsSync(pathTxt)) return null;
    const bin = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}
