import { describe, expect, it } from 'vitest';
import { createScanDetector } from '../../src-renderer/hooks/scan-detector';

const feed = (d: ReturnType<typeof createScanDetector>, keys: string, start: number, gaps: number | number[]) =>
  [...keys].map((k, i) => d.key(k, start + (typeof gaps === 'number' ? i * gaps : gaps.slice(0, i).reduce((a, b) => a + b, 0))));

describe('scan detector', () => {
  it('takes a fast burst ending in Enter as a scan', () => {
    const d = createScanDetector();
    const verdicts = feed(d, '6220000000014', 0, 4);
    expect(verdicts[0]).toEqual({ kind: 'pass', startsBurst: true });
    expect(d.key('Enter', 13 * 4 + 2)).toEqual({ kind: 'scan', code: '6220000000014' });
  });

  it('still takes a scan whose keys a busy screen delayed here and there', () => {
    const d = createScanDetector();
    const gaps = [26, 48, 73, 44, 14, 2, 2, 2, 2, 1, 2, 2];
    feed(d, '6220000000014', 0, gaps);
    expect(d.key('Enter', gaps.reduce((a, b) => a + b, 0) + 2)).toMatchObject({ kind: 'scan' });
  });

  it('leaves a person typing alone, even a quick one', () => {
    const d = createScanDetector();
    expect(feed(d, 'olive', 0, 150).every((v) => v.kind === 'pass')).toBe(true);
    expect(d.key('Enter', 900)).toMatchObject({ kind: 'pass' });
    feed(d, 'SKU-12', 1000, 70);
    expect(d.key('Enter', 1000 + 6 * 70)).toMatchObject({ kind: 'pass' });
  });

  it('does not take a short burst, or one followed by a late Enter, as a scan', () => {
    const d = createScanDetector();
    feed(d, 'ab', 0, 5);
    expect(d.key('Enter', 8)).toMatchObject({ kind: 'pass' });
    feed(d, '12345678', 100, 5);
    expect(d.key('Enter', 100 + 8 * 5 + 500)).toMatchObject({ kind: 'pass' });
  });

  it('starts a new burst after a pause', () => {
    const d = createScanDetector();
    feed(d, 'xyz', 0, 200);
    expect(d.key('6', 1000)).toEqual({ kind: 'pass', startsBurst: true });
    feed(d, '220000', 1003, 3);
    expect(d.key('Enter', 1030)).toEqual({ kind: 'scan', code: '6220000' });
  });
});
