import { describe, expect, it } from 'vitest';
import { backoffDelay, createBackoff } from '../../../src-main/sync/backoff';

describe('backoff with full jitter', () => {
  it('draws uniformly under a ceiling that doubles per attempt and stops at the cap', () => {
    const policy = { baseMs: 100, capMs: 1000 };
    expect(backoffDelay(1, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(2, policy, () => 0.999)).toBe(199);
    expect(backoffDelay(4, policy, () => 0.999)).toBe(799);
    expect(backoffDelay(5, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(500, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('spreads many branches over the window instead of one instant', () => {
    const draws = Array.from({ length: 1000 }, () => backoffDelay(6, { baseMs: 100, capMs: 60_000 }));
    const distinct = new Set(draws.map((d) => Math.floor(d / 320))).size;
    expect(Math.max(...draws)).toBeLessThan(3200);
    expect(distinct).toBeGreaterThan(8);
  });

  it('counts failures and resets on success', () => {
    const b = createBackoff({ baseMs: 10, capMs: 80 }, () => 0.5);
    expect(b.fail()).toBe(5);
    expect(b.fail()).toBe(10);
    expect(b.failures).toBe(2);
    b.succeed();
    expect(b.failures).toBe(0);
    expect(b.fail()).toBe(5);
  });
});
