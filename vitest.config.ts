import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll returns as soon as its check passes; the default second is
    // too short for a screen to catch up on two busy cores in a full run.
    expect: { poll: { timeout: 10_000 } },
    // Two cores: run files two at a time so database-heavy suites don't starve each other.
    maxWorkers: 2,
    // The JSON report lets .ci/run print a plain 'N passed, N failed' closing line.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
});
