import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves a file of the renderer build, never one outside it. Unknown paths
 * fall back to index.html (the screens are one page).
 */
export function serveStatic(root: string, pathname: string, res: ServerResponse, headers: Record<string, string>): void {
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  } catch {
    rel = '';
  }
  let file = join(root, rel);
  if (!file.startsWith(root + sep) && file !== root) file = join(root, 'index.html');
  let st = safeStat(file);
  if (!st?.isFile()) {
    file = join(root, 'index.html');
    st = safeStat(file);
  }
  if (!st?.isFile()) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('The screens are not built: run `npx electron-vite build`.');
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': String(st.size) });
  createReadStream(file).pipe(res);
}

function safeStat(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
