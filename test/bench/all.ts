import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCHES, formatTable, judgeRun, mergeFigures, type BenchRun } from './merge';

/*
 * `npm run bench`: every benchmark that exists among bench:store,
 * bench:server, bench:sync and bench:ui, one after the other (they measure
 * the same two cores, so never side by side), each in its own process with
 * this environment. Their own reports stream to stderr as they run; stdout
 * gets one table of every figure with its ratio against the raw baseline the
 * bench measured in the same run, then, as the last line, one JSON object
 * merging all figures. A failing bench is reported and the others still run;
 * the exit code is then 1.
 *
 *   npm run bench                 all of them
 *   npm run bench -- store sync   only these
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function available(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return BENCHES.filter((b) => pkg.scripts?.[`bench:${b}`] !== undefined && existsSync(join(ROOT, 'test', 'bench', `${b}.bench.ts`)));
}

function runBench(name: string): Promise<BenchRun> {
  return new Promise((resolve) => {
    const started = Date.now();
    process.stderr.write(`\n=== bench:${name} (npx tsx test/bench/${name}.bench.ts)\n`);
    const child = spawn('npx', ['tsx', `test/bench/${name}.bench.ts`], {
      cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32',
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      process.stderr.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on('error', (e) => resolve({ name, exitCode: null, figures: null, error: `could not start: ${e.message}` }));
    child.on('close', (code, signal) => {
      process.stderr.write(`=== bench:${name} ended (exit ${code ?? signal}) after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      resolve(judgeRun(name, code, stdout, signal));
    });
  });
}

async function main(): Promise<void> {
  const have = available();
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !have.includes(a));
  if (unknown.length > 0) {
    process.stderr.write(`unknown or missing bench: ${unknown.join(', ')} (available: ${have.join(', ') || 'none'})\n`);
    process.exit(2);
  }
  const names = asked.length > 0 ? have.filter((b) => asked.includes(b)) : have;
  if (names.length === 0) {
    process.stderr.write('no benchmark scripts found (bench:store, bench:server, bench:sync, bench:ui)\n');
    process.exit(2);
  }
  const runs: BenchRun[] = [];
  for (const name of names) runs.push(await runBench(name));

  const failed = runs.filter((r) => r.error);
  process.stdout.write(`\nbranchpos benchmarks: ${names.join(', ')}${failed.length > 0 ? ` (${failed.length} failed: ${failed.map((r) => r.name).join(', ')})` : ''}\n\n`);
  process.stdout.write(`${formatTable(runs)}\n\n`);
  process.stdout.write(`${JSON.stringify(mergeFigures(runs))}\n`);
  if (failed.length > 0) process.exitCode = 1;
}

await main();
