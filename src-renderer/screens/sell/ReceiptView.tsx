import { Fragment, useLayoutEffect, useRef } from 'react';
import type { SaleReceipt } from '../../../src-shared/branch-inputs';
import { Money } from '../../components/Money';
import { productName } from '../../components/product-name';
import { dateTime, num, usdToLbp } from '../../i18n/format';
import { useLocale, useT } from '../../i18n/locale-store';
import { useApp } from '../../state/app-store';

/** The receipt as the store recorded it, with its gap-free number. Printed by the browser or Electron's print. */
export function ReceiptView({ receipt, onDone }: { receipt: SaleReceipt; onDone(): void }) {
  const t = useT();
  const lang = useLocale((s) => s.lang);
  const till = useApp((s) => s.till);
  const doneRef = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => { doneRef.current?.focus(); }, []);
  return (
    <section className="receipt printable" data-testid="receipt" aria-label={t('receipt')}>
      <header>
        <h2>{till?.warehouseName}</h2>
        <p>{t('receiptNo')} <strong data-testid="receipt-no">{num(lang, receipt.receiptNo)}</strong></p>
        <p>{dateTime(lang, receipt.occurredAt)}</p>
      </header>
      <table>
        <tbody>
          {receipt.lines.map((l) => (
            <tr key={l.productId}>
              <td>{productName(lang, l)}</td>
              <td className="num">{num(lang, l.quantity)} × <Money minor={l.unitPriceMinor} currency={receipt.currency} /></td>
              <td className="num"><Money minor={l.lineTotalMinor} currency={receipt.currency} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="totals">
        <dt>{t('subtotal')}</dt><dd><Money minor={receipt.netMinor} currency={receipt.currency} /></dd>
        <dt>{t('tax')}</dt><dd><Money minor={receipt.taxMinor} currency={receipt.currency} /></dd>
        <dt className="grand">{t('total')}</dt>
        <dd className="grand" data-testid="receipt-total"><Money minor={receipt.totalMinor} currency={receipt.currency} />
          {receipt.currency === 'USD' && receipt.lbpPerUsd && <> · <Money minor={usdToLbp(receipt.totalMinor, receipt.lbpPerUsd)} currency="LBP" /></>}
        </dd>
        {receipt.payments.map((p, i) => (
          <Fragment key={i}><dt>{t(p.method)}{p.reference ? ` (${p.reference})` : ''}</dt><dd><Money minor={p.amountMinor} currency={p.currency} /></dd></Fragment>
        ))}
        <dt>{t('changeDue')}</dt>
        <dd data-testid="receipt-change"><Money minor={receipt.changeDueMinor} currency={receipt.currency} />
          {receipt.currency === 'USD' && receipt.lbpPerUsd && <> · <Money minor={usdToLbp(receipt.changeDueMinor, receipt.lbpPerUsd)} currency="LBP" /></>}
        </dd>
      </dl>
      <div className="actions no-print">
        <button onClick={() => window.print()} data-testid="print">{t('print')}</button>
        <button ref={doneRef} className="primary big" onClick={onDone} data-testid="new-sale">{t('newSale')}</button>
      </div>
    </section>
  );
}
