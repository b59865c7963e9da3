import { describe, expect, it } from 'vitest';
import { uuidv7, uuidv7Time } from '../../src-shared/ids';
import { Id } from '../../src-shared/primitives';

describe('uuidv7', () => {
  it('makes valid v7 uuids that carry their time', () => {
    const now = Date.UTC(2026, 11, 4, 12, 0, 0);
    const id = uuidv7(now);
    expect(Id.safeParse(id).success).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(uuidv7Time(id)).toBe(now);
  });

  it('sorts in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(1_800_000_000_000));
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
