import { useState } from 'react';
import type { ReturnResult, SaleReceipt } from '../../src-shared/branch-inputs';
import { uuidv7 } from '../../src-shared/ids';
import { ErrorNote } from '../components/ErrorNote';
import { Money } from '../components/Money';
import { ProductLines, QtyInput, type LineProduct } from '../components/ProductLines';
import { ProductPicker } from '../components/ProductPicker';
import { num } from '../i18n/format';
import { useLocale, useT } from '../i18n/locale-store';
import { useApprovedSubmit } from '../hooks/useApprovedSubmit';
import { useLines } from '../hooks/useLines';
import { call, invoke } from '../transport/transport';

interface ReturnLine { product: LineProduct; sold: number | null; quantity: number }

/** A return against a receipt (at most what was sold) or ad hoc; a manager's PIN above the core's threshold. */
export function ReturnsScreen() {
  const t = useT();
  const lang = useLocale((s) => s.lang);
  const [receiptNo, setReceiptNo] = useState('');
  const [sale, setSale] = useState<SaleReceipt | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<ReturnResult | null>(null);
  const lines = useLines<ReturnLine>((p) => ({ product: p, sold: null, quantity: 1 }), (l) => ({ ...l, quantity: l.quantity + 1 }),
    (c) => setError(`${t('notFound')} ${c}`), sale === null);
  const flow = useApprovedSubmit<ReturnResult>((r) => { setDone(r); setSale(null); lines.clear(); }, setError);

  const find = async () => {
    setError(null); setDone(null);
    const n = Number(receiptNo);
    if (!Number.isInteger(n) || n < 1) return;
    const s = await call('saleByReceiptNo', { receiptNo: n });
    if (!s) { setError(`${t('receiptNumber')} ${receiptNo}: ${t('none')}`); return; }
    setSale(s);
    lines.setLines(s.lines.map((l) => ({ product: l, sold: l.quantity, quantity: 0 })));
  };

  const send = () => {
    const chosen = lines.lines.filter((l) => l.quantity > 0).map((l) => ({ productId: l.product.productId, quantity: l.quantity }));
    if (chosen.length === 0) return;
    const opId = uuidv7();
    void flow.submit((approval) => invoke('returnSale', {
      opId, lines: chosen, ...(sale ? { saleId: sale.saleId } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}), ...(approval ? { approval } : {}),
    }));
  };

  return (
    <div className="screen returns" data-testid="returns-screen">
      <h1>{t('returns')}</h1>
      <form className="row" onSubmit={(e) => { e.preventDefault(); void find(); }}>
        <label>{t('receiptNumber')}
          <input inputMode="numeric" value={receiptNo} onChange={(e) => setReceiptNo(e.target.value.replace(/\D/g, ''))} data-testid="return-receipt-no" />
        </label>
        <button type="submit">{t('find')}</button>
        {sale && <button type="button" onClick={() => { setSale(null); lines.clear(); }}>{t('adHoc')}</button>}
      </form>
      {!sale && <ProductPicker onPick={lines.add} onNotFound={(c) => setError(`${t('notFound')} ${c}`)} testId="return-search" />}
      <ErrorNote error={error} onClose={() => setError(null)} />
      <ProductLines lines={lines.lines} testId="return-lines" onRemove={sale ? undefined : lines.remove} columns={[
        ...(sale ? [{ label: t('sold'), numeric: true, render: (l: ReturnLine) => num(lang, l.sold ?? 0) }] : []),
        { label: t('qty'), numeric: true, render: (l: ReturnLine, i: number) => (
          <QtyInput value={l.quantity} label={t('qty')} onChange={(n) => lines.update(i, (x) => ({ ...x, quantity: Math.min(n, x.sold ?? n) }))} />
        ) },
      ]} />
      <label>{t('reason')}<input value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} /></label>
      <button className="primary big" disabled={flow.busy || !lines.lines.some((l) => l.quantity > 0)} onClick={send} data-testid="return-submit">{t('returnItems')}</button>
      {done && <p className="success" role="status" data-testid="return-done">{t('returnDone')}: <Money minor={done.totalRefundMinor} currency={done.currency} /></p>}
      {flow.dialog}
    </div>
  );
}
