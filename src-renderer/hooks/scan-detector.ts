/*
 * A barcode scanner is a keyboard that types very fast and ends with Enter.
 * This tells its bursts from a person typing: characters closer together than
 * `maxGapMs`, at least `minLength` of them, then Enter. Pure logic, so it can
 * be tested without a DOM; `useScanner` feeds it key events.
 */
export interface ScanDetectorOptions { maxGapMs?: number; minLength?: number }

export type KeyVerdict =
  /** Let the key through (a person typing, or the first key of what may become a burst). */
  | { kind: 'pass' }
  /** Part of a burst: keep it from the focused field. */
  | { kind: 'swallow' }
  /** Enter closing a burst: `code` is what was scanned. */
  | { kind: 'scan'; code: string };

export function createScanDetector(opts: ScanDetectorOptions = {}) {
  const maxGap = opts.maxGapMs ?? 35;
  const minLength = opts.minLength ?? 4;
  let buffer = '';
  let last = -Infinity;
  let fast = 0;

  return {
    key(key: string, at: number): KeyVerdict {
      const gap = at - last;
      if (key === 'Enter') {
        const code = buffer;
        const burst = fast >= minLength - 1 && gap <= maxGap * 3;
        buffer = ''; fast = 0; last = -Infinity;
        return burst && code.length >= minLength ? { kind: 'scan', code } : { kind: 'pass' };
      }
      if (key.length !== 1) { buffer = ''; fast = 0; last = -Infinity; return { kind: 'pass' }; }
      last = at;
      if (gap <= maxGap && buffer.length > 0) {
        buffer += key; fast += 1;
        return { kind: 'swallow' };
      }
      buffer = key; fast = 0;
      return { kind: 'pass' };
    },
    /** A burst that never reached Enter was a fast typist: hand back the characters swallowed after the first. */
    abandon(): string {
      const swallowed = buffer.slice(1);
      buffer = ''; fast = 0; last = -Infinity;
      return swallowed;
    },
    /** ms after the last key beyond which a burst is abandoned. */
    patienceMs: maxGap * 3,
    maxGapMs: maxGap,
    reset() { buffer = ''; fast = 0; last = -Infinity; },
  };
}
