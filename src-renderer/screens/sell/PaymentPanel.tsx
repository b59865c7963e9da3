import { useEffect, useRef, useState } from 'react';
import type { Currency } from '../../../src-shared/primitives';
import { Money } from '../../components/Money';
import { money, parseAmountMinor } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/locale-store';
import { changeDue, exactAmount, type Method, type Tender } from './payment';

interface Props {
  totalUsdMinor: number;
  lbpPerUsd: number;
  busy: boolean;
  onComplete(tender: Tender): void;
  onCancel(): void;
}

/** Cash in USD or LBP (change shown in both) or card (amount and the terminal's reference: never a card number). Enter completes. */
export function PaymentPanel({ totalUsdMinor, lbpPerUsd, busy, onComplete, onCancel }: Props) {
  const t = useT();
  const lang = useLocale((s) => s.lang);
  const [method, setMethod] = useState<Method>('cash');
  const [currency, setCurrency] = useState<Currency>('USD');
  const [amountText, setAmountText] = useState('');
  const [reference, setReference] = useState('');
  const amountRef = useRef<HTMLInputElement>(null);
  useEffect(() => { amountRef.current?.focus(); amountRef.current?.select(); }, [method, currency]);

  const exact = exactAmount(totalUsdMinor, currency, lbpPerUsd);
  const typed = amountText.trim() === '' ? exact : parseAmountMinor(amountText, currency);
  const tender: Tender | null = typed === null ? null : { method, currency, amountMinor: typed, reference };
  const change = tender ? changeDue(totalUsdMinor, tender, lbpPerUsd) : null;
  const ok = tender !== null && change !== null && change.usdMinor >= 0 && (method === 'cash' || change.usdMinor === 0);

  return (
    <form className="payment" data-testid="payment" onSubmit={(e) => { e.preventDefault(); if (ok && tender && !busy) onComplete(tender); }}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onCancel(); } }}>
      <div className="segmented" role="radiogroup" aria-label={t('pay')}>
        {(['cash', 'card'] as const).map((m) => (
          <button type="button" key={m} role="radio" aria-checked={method === m} className={method === m ? 'active' : ''}
            data-testid={`pay-${m}`} onClick={() => setMethod(m)}>{t(m)}</button>
        ))}
        {(['USD', 'LBP'] as const).map((c) => (
          <button type="button" key={c} role="radio" aria-checked={currency === c} className={currency === c ? 'active' : ''}
            data-testid={`pay-${c}`} onClick={() => { setCurrency(c); setAmountText(''); }}>{c}</button>
        ))}
      </div>
      <label>{method === 'cash' ? t('tendered') : t('amount')}
        <input ref={amountRef} inputMode="decimal" value={amountText} placeholder={money(lang, exact, currency)}
          onChange={(e) => setAmountText(e.target.value)} data-testid="pay-amount" />
      </label>
      {method === 'card' && (
        <label>{t('reference')}
          <input value={reference} maxLength={64} onChange={(e) => setReference(e.target.value)} data-testid="pay-reference" />
        </label>
      )}
      {change && method === 'cash' && (
        <p className="change" data-testid="change-due">
          {t('changeDue')}: <Money minor={Math.max(0, change.usdMinor)} currency="USD" /> · <Money minor={Math.max(0, change.lbp)} currency="LBP" />
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary big" disabled={!ok || busy} data-testid="complete-sale">{t('complete')}</button>
        <button type="button" onClick={onCancel}>{t('cancel')}</button>
      </div>
    </form>
  );
}
