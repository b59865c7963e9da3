/*
 * Retry delays for a link that fails. Full jitter (a uniform draw between 0
 * and the capped exponential) rather than equal jitter: when a whole city's
 * branches lose the link together and it returns, their retries spread over
 * the window instead of arriving in synchronized waves that knock central
 * over again.
 */

export interface BackoffPolicy {
  /** Upper bound of the first retry's delay. */
  baseMs: number;
  /** No retry waits longer than this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 60_000 };

/** The delay before retry number `attempt` (1 = first retry): uniform in [0, min(cap, base * 2^(attempt-1))]. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  // 2^30 already dwarfs any sane cap; stopping there keeps the product finite.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(n - 1, 30));
  return Math.floor(random() * ceiling);
}

/** A failure counter that yields the next delay and resets on success. */
export interface Backoff {
  /** Records a failure and returns how long to wait before trying again. */
  fail(): number;
  succeed(): void;
  readonly failures: number;
}

export function createBackoff(policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): Backoff {
  let failures = 0;
  return {
    fail() {
      failures += 1;
      return backoffDelay(failures, policy, random);
    },
    succeed() {
      failures = 0;
    },
    get failures() {
      return failures;
    },
  };
}
