/* Timing helpers for the server benchmark: closed-loop clients for a fixed time, percentiles. */

export interface Throughput { ops: number; seconds: number; perSecond: number; errors: number }

/** Runs `clients` loops of `step` (each returns how many ops it completed) for `ms`, and counts ops per second. */
export async function closedLoop(clients: number, ms: number, step: (client: number, iteration: number) => Promise<number>): Promise<Throughput> {
  const started = performance.now();
  const until = started + ms;
  let ops = 0;
  let errors = 0;
  let firstError: unknown;
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    for (let i = 0; performance.now() < until; i += 1) {
      try {
        // Not `ops += await ...`: that reads ops before the await and loses the other clients' counts.
        const n = await step(c, i);
        ops += n;
      } catch (e) {
        errors += 1;
        firstError ??= e;
        if (errors > 20) throw firstError;
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  if (errors > 0) console.error('errors during the run, first:', firstError);
  return { ops, seconds, perSecond: ops / seconds, errors };
}

export function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Runs two measurements in alternating slices and sums each side, so a change
 * in machine load (others share these cores) hits both sides alike and the
 * ratio stays meaningful.
 */
export async function alternate(slices: number, sliceMs: number, a: (ms: number) => Promise<Throughput>, b: (ms: number) => Promise<Throughput>): Promise<[Throughput, Throughput]> {
  const sum = (xs: Throughput[]): Throughput => {
    const ops = xs.reduce((s, x) => s + x.ops, 0);
    const seconds = xs.reduce((s, x) => s + x.seconds, 0);
    return { ops, seconds, perSecond: ops / seconds, errors: xs.reduce((s, x) => s + x.errors, 0) };
  };
  const ra: Throughput[] = [];
  const rb: Throughput[] = [];
  for (let i = 0; i < slices; i += 1) {
    ra.push(await a(sliceMs));
    rb.push(await b(sliceMs));
  }
  return [sum(ra), sum(rb)];
}
