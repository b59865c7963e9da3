import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/*
 * The central API as it runs in production: `npm run server`'s entry
 * (src-server/main.ts) in a process of its own, on the bench's PostgreSQL
 * database, with its default background loops (outbox worker, summary fold).
 * The summary's latency is measured against it, so the bench's own heap
 * (hundreds of thousands of rows loaded, the push and reservation stages)
 * and its GC are not the server's, as they never are in a real deployment.
 */

const MAIN = fileURLToPath(new URL('../../../src-server/main.ts', import.meta.url));

export interface ApiProcess {
  base: string;
  /** Bucket counts of the server's own request-duration histogram for one route (cumulative, by upper bound in seconds). */
  durationBuckets(route: string): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export async function startApiProcess(databaseUrl: string, adminToken: string): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--database-url', databaseUrl, '--port', String(port), '--log-level', 'warn'],
    { env: { ...process.env, BRANCHPOS_ADMIN_TOKEN: adminToken }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`the API process exited with ${child.exitCode}`);
    if (i > 300) { child.kill('SIGKILL'); throw new Error('the API process did not become ready in 30 s'); }
    const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    async durationBuckets(route) {
      const text = await (await fetch(`${base}/metrics`)).text();
      const out = new Map<string, number>();
      for (const line of text.split('\n')) {
        const m = /^branchpos_http_request_duration_seconds_bucket\{(.*)\} (\d+)$/.exec(line);
        if (!m || !m[1]?.includes(`route="${route}"`)) continue;
        const le = /le="([^"]+)"/.exec(m[1])?.[1];
        if (le) out.set(le, Number(m[2]));
      }
      return out;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
