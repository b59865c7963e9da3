import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../src-server/support/databases';
import { startCentral, type Central } from './central';
import { runSeed } from './simulate';

/*
 * CI's share of the simulation: 30 seeds on PGlite (and a few on PostgreSQL
 * when TEST_DATABASE_URL is set). `npm run sim -- --seeds N` runs more;
 * `npm run sim -- --seed S` replays one.
 */
const SEEDS = Array.from({ length: 30 }, (_, i) => 1000 + i);

describe.each(databaseKinds)('sync simulation under partitions (%s)', (kind) => {
  const seeds = kind === 'pglite' ? SEEDS : SEEDS.slice(0, 5);
  let central: Central;
  beforeAll(async () => {
    central = await startCentral(kind);
  });
  afterAll(async () => {
    await central.close();
  });
  it.each(seeds)('seed %i converges with every invariant holding', async (seed) => {
    const r = await runSeed({ seed, central });
    if (!r.ok) console.error(`sim seed ${seed} failed (replay: npm run sim -- --seed ${seed}):\n  ${r.violations.slice(0, 20).join('\n  ')}`);
    expect(r.violations).toEqual([]);
  }, 60_000);
});
