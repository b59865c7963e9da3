import { parseArgs } from 'node:util';
import { startCentral } from './central';
import { runSeed } from './simulate';

/*
 * npm run sim -- --seeds 200          many seeds from a random start
 * npm run sim -- --seed 1234 [--ops 400] [--postgres]   replay one seed
 */
const { values } = parseArgs({
  options: { seeds: { type: 'string' }, seed: { type: 'string' }, ops: { type: 'string' }, start: { type: 'string' }, postgres: { type: 'boolean' } },
});
const kind = values.postgres ? 'postgres' : 'pglite';
if (kind === 'postgres' && !process.env.TEST_DATABASE_URL) {
  console.error('--postgres needs TEST_DATABASE_URL (a superuser URL)');
  process.exit(2);
}
const ops = values.ops ? Number(values.ops) : undefined;
const seeds: number[] = values.seed !== undefined
  ? [Number(values.seed)]
  : Array.from({ length: Number(values.seeds ?? 30) }, (_, i) => (values.start ? Number(values.start) : Math.floor(Math.random() * 1e9)) + i);

let failed = 0;
const central = await startCentral(kind);
for (const seed of seeds) {
  const r = await runSeed({ seed, central, ...(ops ? { ops } : {}) });
  const c = Object.entries(r.counts).map(([k, n]) => `${k}=${n}`).join(' ');
  console.log(`seed ${seed}: ${r.ok ? 'ok' : 'FAILED'} in ${r.ms} ms  faults ${JSON.stringify(r.faults)}  ${c}`);
  if (!r.ok) {
    failed += 1;
    console.log(`  replay: npm run sim -- --seed ${seed}${ops ? ` --ops ${ops}` : ''}${values.postgres ? ' --postgres' : ''}`);
    for (const v of r.violations.slice(0, 30)) console.log(`  - ${v}`);
  }
}
await central.close();
console.log(`${seeds.length - failed}/${seeds.length} seeds passed`);
process.exit(failed === 0 ? 0 : 1);
