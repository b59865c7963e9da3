/*
 * The pure part of `npm run bench` (test/bench/all.ts): reading a bench's last
 * stdout line, pairing each figure with the raw baseline measured in the same
 * run, merging every bench's figures into one object and formatting the table.
 * Kept apart from the runner so it is unit-tested without running a bench.
 */

export const BENCHES = ['store', 'server', 'sync', 'ui'] as const;
export type BenchName = (typeof BENCHES)[number];

export type Figures = Record<string, unknown>;

export interface BenchRun {
  name: string;
  /** Exit code of the child; null when it was killed by a signal or never started. */
  exitCode: number | null;
  /** The bench's last stdout line, parsed; null when it printed no JSON object last. */
  figures: Figures | null;
  /** Why the run counts as failed (non-zero exit, no JSON line...); absent when it passed. */
  error?: string;
}

/** The last non-empty line of a bench's stdout as a JSON object, or null. */
export function lastJsonLine(stdout: string): Figures | null {
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const last = lines[lines.length - 1];
  if (last === undefined) return null;
  try {
    const v: unknown = JSON.parse(last);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Figures) : null;
  } catch {
    return null;
  }
}

/** A run's verdict from its exit code and stdout. */
export function judgeRun(name: string, exitCode: number | null, stdout: string, signal: string | null = null): BenchRun {
  const figures = lastJsonLine(stdout);
  const why: string[] = [];
  if (exitCode !== 0) why.push(signal ? `killed by ${signal}` : `exit code ${exitCode ?? 'none'}`);
  if (!figures) why.push('no JSON object on its last stdout line');
  return why.length > 0 ? { name, exitCode, figures, error: why.join('; ') } : { name, exitCode, figures };
}

/*
 * Baselines the benches report under a name that is not simply `raw_<figure>`.
 * Each pair is measured by the same bench in the same run (DEVELOPERS.md:
 * ratios against a raw baseline, never a number from elsewhere).
 */
const NAMED_BASELINES: Record<string, Record<string, readonly string[]>> = {
  store: { store_cpu_us_per_sale: ['raw_cpu_us_per_sale'] },
  server: { push_ops_per_s: ['raw_ops_per_s'], sales_per_s_summary_on: ['sales_per_s_summary_off'] },
  sync: { drain_ops_per_s: ['baseline_push_ops_per_s'] },
  // The UI bench compares its screen timings with one HTTP round trip to the core
  // (a sale with the store's own sell when it reports one), and that round trip
  // with the store's own lookup in Node. First candidate present wins.
  ui: {
    scan_to_cart_p99_ms: ['http_lookup_p99_ms'],
    search_p99_ms: ['http_lookup_p99_ms'],
    sale_to_receipt_p99_ms: ['raw_sell_p99_ms', 'http_lookup_p99_ms'],
    http_lookup_p99_ms: ['raw_lookup_p99_ms'],
  },
};

/** The key of the baseline a figure is compared with, if its bench measured one. */
export function baselineKey(bench: string, key: string, figures: Figures): string | null {
  const named = NAMED_BASELINES[bench]?.[key]?.find((k) => typeof figures[k] === 'number');
  if (named !== undefined) return named;
  const raw = `raw_${key}`;
  return !key.startsWith('raw_') && typeof figures[raw] === 'number' ? raw : null;
}

/** figure / baseline, to 3 significant digits; null when either is not a usable number. */
export function ratioOf(value: unknown, baseline: unknown): number | null {
  if (typeof value !== 'number' || typeof baseline !== 'number' || !Number.isFinite(value) || !Number.isFinite(baseline) || baseline === 0) return null;
  return Number((value / baseline).toPrecision(3));
}

/** Keys reported by more than one bench; those are prefixed `<bench>.` in the merged object. */
export function collidingKeys(runs: readonly BenchRun[]): Set<string> {
  const seen = new Map<string, number>();
  for (const r of runs) for (const k of Object.keys(r.figures ?? {})) seen.set(k, (seen.get(k) ?? 0) + 1);
  return new Set([...seen].filter(([, n]) => n > 1).map(([k]) => k));
}

export function mergedKey(bench: string, key: string, collisions: ReadonlySet<string>): string {
  return collisions.has(key) ? `${bench}.${key}` : key;
}

/** Every figure of every bench that printed some, in one object (bench order, then each bench's own key order). */
export function mergeFigures(runs: readonly BenchRun[]): Figures {
  const collisions = collidingKeys(runs);
  const out: Figures = {};
  for (const r of runs) {
    for (const [k, v] of Object.entries(r.figures ?? {})) out[mergedKey(r.name, k, collisions)] = v;
  }
  return out;
}

export interface TableRow {
  bench: string;
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
}

function show(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** One row per figure (baseline and ratio where the bench measured one), and a row per failed bench. */
export function tableRows(runs: readonly BenchRun[]): TableRow[] {
  const collisions = collidingKeys(runs);
  const rows: TableRow[] = [];
  for (const r of runs) {
    if (r.error) rows.push({ bench: r.name, figure: 'FAILED', value: r.error, baseline: '', ratio: '' });
    const figures = r.figures ?? {};
    for (const [k, v] of Object.entries(figures)) {
      const base = baselineKey(r.name, k, figures);
      const ratio = base ? ratioOf(v, figures[base]) : null;
      rows.push({
        bench: r.name,
        figure: mergedKey(r.name, k, collisions),
        value: show(v),
        baseline: base ? `${base} = ${show(figures[base])}` : '',
        ratio: ratio === null ? '' : `x${ratio}`,
      });
    }
  }
  return rows;
}

/** The table as aligned text. */
export function formatTable(runs: readonly BenchRun[]): string {
  const header: TableRow = { bench: 'bench', figure: 'figure', value: 'value', baseline: 'raw baseline (same run)', ratio: 'ratio' };
  const rows = [header, ...tableRows(runs)];
  const cols: (keyof TableRow)[] = ['bench', 'figure', 'value', 'baseline', 'ratio'];
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(...rows.map((r) => r[c].length))])) as Record<keyof TableRow, number>;
  const line = (r: TableRow) => cols.map((c) => (c === 'value' ? r[c].padStart(width[c]) : r[c].padEnd(width[c]))).join('  ').trimEnd();
  const rule = cols.map((c) => '-'.repeat(width[c])).join('  ');
  return [line(header), rule, ...rows.slice(1).map(line)].join('\n');
}
