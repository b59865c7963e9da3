import type { Currency } from '../../src-shared/primitives';
import { money, usdToLbp } from '../i18n/format';
import { useLocale } from '../i18n/locale-store';
import { useApp } from '../state/app-store';

export function Money({ minor, currency }: { minor: number; currency: Currency }) {
  const lang = useLocale((s) => s.lang);
  return <span className="money">{money(lang, minor, currency)}</span>;
}

/** A USD amount with its LBP equivalent at the tenant's rate, as Lebanese customers expect to see both. */
export function UsdWithLbp({ minor, testId }: { minor: number; testId?: string }) {
  const lang = useLocale((s) => s.lang);
  const rate = useApp((s) => s.till?.lbpPerUsd ?? 0);
  return (
    <span className="money-pair" data-testid={testId}>
      <span className="money">{money(lang, minor, 'USD')}</span>
      {rate > 0 && <span className="money secondary">{money(lang, usdToLbp(minor, rate), 'LBP')}</span>}
    </span>
  );
}
