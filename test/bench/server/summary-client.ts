/*
 * The summary benchmark's HTTP client, run as a process of its own (see
 * summaryOverHttp): a back-office client is never inside the server's
 * process, so its fetch, gunzip and JSON.parse of 130 KB, and the garbage
 * they make, must not share the server's event loop and heap.
 *
 * Argument: one JSON object (SummaryClientArgs). Prints one JSON line,
 * { "samples": [ms, ...] }. Exits non-zero on any answer other than 200 with
 * `rows` rows.
 */
import { execFile } from 'node:child_process';
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

async function fetchOnce(a: SummaryClientArgs, tenantId: string): Promise<number> {
  const s0 = performance.now();
  const res = await fetch(`${a.base}/v1/admin/tenants/${tenantId}/inventory-summary?limit=${a.rows}`, { headers: { authorization: `Bearer ${a.token}` } });
  const body = await res.json() as unknown[];
  const ms = performance.now() - s0;
  if (res.status !== 200 || body.length !== a.rows) throw new Error(`summary ${res.status}, ${body.length} rows`);
  return ms;
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
    .then((samples) => { process.stdout.write(`${JSON.stringify({ samples })}\n`); })
    .catch((e: unknown) => { console.error(e); process.exit(1); });
}
