import { describe, expect, it } from 'vitest';
import { ar, en } from '../../src-renderer/i18n/messages';
import { ago, money, parseAmountMinor } from '../../src-renderer/i18n/format';

describe('i18n', () => {
  it('has an Arabic string for every English one, none left in English', () => {
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
    const same = Object.keys(en).filter((k) => ar[k as keyof typeof en] === en[k as keyof typeof en]);
    expect(same).toEqual([]);
  });

  it('formats money with Intl in both languages, LBP without decimals', () => {
    expect(money('en', 1234, 'USD')).toBe('$12.34');
    expect(money('en', 1_500_000, 'LBP')).toMatch(/1,500,000/);
    expect(money('ar', 1234, 'USD')).toMatch(/12[.,]34/);
  });

  it('says how long ago the last sync was', () => {
    const now = Date.parse('2026-12-04T12:00:00Z');
    expect(ago('en', '2026-12-04T11:57:00Z', now)).toBe('3 min. ago');
    expect(ago('ar', '2026-12-04T11:57:00Z', now)).toMatch(/3/);
  });

  it('parses what a cashier types as an amount', () => {
    expect(parseAmountMinor('12.5', 'USD')).toBe(1250);
    expect(parseAmountMinor('12,50', 'USD')).toBe(1250);
    expect(parseAmountMinor('1,500,000', 'LBP')).toBe(1_500_000);
    expect(parseAmountMinor('12.345', 'USD')).toBeNull();
    expect(parseAmountMinor('abc', 'USD')).toBeNull();
  });
});
