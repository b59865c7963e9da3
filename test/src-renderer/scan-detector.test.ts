import { describe, expect, it } from 'vitest';
import { createScanDetector } from '../../src-renderer/hooks/scan-detector';

const feed = (d: ReturnType<typeof createScanDetector>, keys: string, start: number, gap: number) =>
  [...keys].map((k, i) => d.key(k, start + i * gap));

describe('scan detector', () => {
  it('takes a fast burst ending in Enter as a scan and keeps it out of the field', () => {
    const d = createScanDetector();
    const verdicts = feed(d, '6220000000014', 0, 4);
    expect(verdicts[0]).toEqual({ kind: 'pass' });
    expect(verdicts.slice(1).every((v) => v.kind === 'swallow')).toBe(true);
    expect(d.key('Enter', 13 * 4 + 2)).toEqual({ kind: 'scan', code: '6220000000014' });
  });

  it('leaves a person typing alone', () => {
    const d = createScanDetector();
    expect(feed(d, 'olive', 0, 150).every((v) => v.kind === 'pass')).toBe(true);
    expect(d.key('Enter', 900)).toEqual({ kind: 'pass' });
  });

  it('does not take a short burst, or one followed by a late Enter, as a scan', () => {
    const d = createScanDetector();
    feed(d, 'ab', 0, 5);
    expect(d.key('Enter', 8)).toEqual({ kind: 'pass' });
    feed(d, '12345678', 100, 5);
    expect(d.key('Enter', 100 + 8 * 5 + 500)).toEqual({ kind: 'pass' });
  });

  it('gives back what it swallowed when a fast burst never ends in Enter', () => {
    const d = createScanDetector();
    feed(d, 'tea', 0, 10);
    expect(d.abandon()).toBe('ea');
  });
});
