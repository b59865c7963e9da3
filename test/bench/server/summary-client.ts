/*
 * The summary benchmark's HTTP client, run as a process of its own (see
 * summaryOverHttp): a back-office client is never inside the server's
 * process, so its fetch, gunzip and JSON.parse of 130 KB, and the garbage
 * they make, must not share the server's event loop and heap.
 *
 * A sample is the endpoint's latency as load tools (curl's time_total, wrk)
 * measure it: from sending the request to the last byte of the answer (gzip,
 * as the client asked), over a kept-alive connection. Unzipping and parsing
 * the 1,000 rows is the client's own work: it happens after the clock stops,
 * and every answer is still checked (status, rows) before the next request.
 *
 * Argument: one JSON object (SummaryClientArgs). Prints one JSON line,
 * { "samples": [ms, ...] }. Exits non-zero on any answer other than 200 with
 * `rows` rows.
 */
import { execFile } from 'node:child_process';
import { Agent, request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const SummaryClientArgs = z.object({
  base: z.url(),
  token: z.string().min(1),
  tenantIds: z.array(z.uuid()).min(1),
  samples: z.number().int().min(1),
  rows: z.number().int().min(1),
});
export type SummaryClientArgs = z.infer<typeof SummaryClientArgs>;

const Output = z.object({ samples: z.array(z.number()) });

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One GET over the kept-alive connection: status, headers and the body's bytes, and when the last byte came. */
function get(url: URL, token: string): Promise<{ status: number; encoding: string | undefined; body: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const s0 = performance.now();
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'], body: Buffer.concat(chunks), ms: performance.now() - s0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function fetchOnce(a: SummaryClientArgs, tenantId: string): Promise<number> {
  const r = await get(new URL(`${a.base}/v1/admin/tenants/${tenantId}/inventory-summary?limit=${a.rows}`), a.token);
  const text = (r.encoding === 'gzip' ? gunzipSync(r.body) : r.body).toString('utf8');
  const body = JSON.parse(text) as unknown[];
  if (r.status !== 200 || body.length !== a.rows) throw new Error(`summary ${r.status}, ${body.length} rows`);
  return r.ms;
}

async function runClient(a: SummaryClientArgs): Promise<number[]> {
  // Warm-up, untimed: one request per tenant, so the first samples do not
  // include the JIT, the connection pool filling and cold database pages.
  for (const id of a.tenantIds) await fetchOnce(a, id);
  const samples: number[] = [];
  for (let i = 0; i < a.samples; i += 1) samples.push(await fetchOnce(a, a.tenantIds[(i * 37) % a.tenantIds.length]!));
  return samples;
}

/** Runs the client in a child Node process (through tsx) and returns its timings in ms. */
export function summaryOverHttp(args: SummaryClientArgs): Promise<number[]> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', script, JSON.stringify(args)], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) { reject(new Error(`summary client failed: ${err.message}\n${stderr}`)); return; }
      try {
        resolve(Output.parse(JSON.parse(stdout)).samples);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runClient(SummaryClientArgs.parse(JSON.parse(process.argv[2] ?? '{}')))
    .then((samples) => { agent.destroy(); process.stdout.write(`${JSON.stringify({ samples })}\n`); })
    .catch((e: unknown) => { console.error(e); process.exit(1); });
}
