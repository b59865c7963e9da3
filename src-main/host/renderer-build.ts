import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root and the renderer build the web host serves. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const RENDERER_OUT = join(REPO_ROOT, 'out/renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Runs `electron-vite build` when the screens' build is missing or older than their sources. */
export function buildRendererIfStale(log: (line: string) => void = console.log): void {
  const built = join(RENDERER_OUT, 'index.html');
  const sources = Math.max(...['src-renderer', 'src-shared', 'src-main/electron'].map((d) => newestMtime(join(REPO_ROOT, d))));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  log('Building the screens (electron-vite build)...');
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the build of the screens failed');
}
