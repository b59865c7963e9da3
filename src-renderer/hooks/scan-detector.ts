/*
 * A barcode scanner is a keyboard that types very fast and ends with Enter.
 * This tells its bursts from a person typing: at least `minLength` characters
 * whose average spacing is under `maxAvgGapMs`, none more than `maxGapMs`
 * apart, then Enter. The average, not each gap, decides: a busy screen can
 * delay one key of a scan, but a person cannot type twenty keys a second.
 * Pure logic, so it is tested without a DOM; `useScanner` feeds it key events.
 */
export interface ScanDetectorOptions { maxAvgGapMs?: number; maxGapMs?: number; minLength?: number }

export type KeyVerdict =
  /** Not a scan (yet): let the key do what it does. */
  | { kind: 'pass'; startsBurst: boolean }
  /** Enter closing a burst: `code` is what was scanned. */
  | { kind: 'scan'; code: string };

export function createScanDetector(opts: ScanDetectorOptions = {}) {
  const maxAvgGap = opts.maxAvgGapMs ?? 40;
  const maxGap = opts.maxGapMs ?? 120;
  const minLength = opts.minLength ?? 4;
  let buffer = '';
  let first = 0;
  let last = -Infinity;
  const reset = () => { buffer = ''; last = -Infinity; };

  return {
    key(key: string, at: number): KeyVerdict {
      if (key === 'Enter') {
        const code = buffer;
        const avg = code.length > 1 ? (last - first) / (code.length - 1) : Infinity;
        const scan = code.length >= minLength && avg <= maxAvgGap && at - last <= maxGap;
        reset();
        return scan ? { kind: 'scan', code } : { kind: 'pass', startsBurst: false };
      }
      if (key.length !== 1) { reset(); return { kind: 'pass', startsBurst: false }; }
      if (at - last > maxGap || buffer.length === 0) {
        buffer = key; first = at; last = at;
        return { kind: 'pass', startsBurst: true };
      }
      buffer += key; last = at;
      return { kind: 'pass', startsBurst: false };
    },
    reset,
  };
}
