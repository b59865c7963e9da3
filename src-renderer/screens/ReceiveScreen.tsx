import { useCallback, useEffect, useState } from 'react';
import type { ExpectedDelivery } from '../../src-shared/branch-api';
import { uuidv7 } from '../../src-shared/ids';
import { ErrorNote } from '../components/ErrorNote';
import { ProductLines, QtyInput, type LineProduct } from '../components/ProductLines';
import { ProductPicker } from '../components/ProductPicker';
import { dateTime, num } from '../i18n/format';
import { useLocale, useT } from '../i18n/locale-store';
import { useLines } from '../hooks/useLines';
import { useApp } from '../state/app-store';
import { call, invoke } from '../transport/transport';

interface ReceiveLine { product: LineProduct; expected: number | null; received: number }

/** Short or over against what was expected, as the clerk sees it before posting. */
function Difference({ line }: { line: ReceiveLine }) {
  const t = useT();
  const lang = useLocale((s) => s.lang);
  if (line.expected === null || line.received === line.expected) return null;
  const d = line.received - line.expected;
  return <span className={d < 0 ? 'short' : 'over'} data-testid="receive-diff">{d < 0 ? t('short') : t('over')} {num(lang, Math.abs(d))}</span>;
}

/** A purchase order is known by its ref and supplier; a transfer by the branch that sent it. */
const label = (d: ExpectedDelivery): string => (d.kind === 'purchase_order' ? `PO ${d.ref}${d.fromName ? ` · ${d.fromName}` : ''}` : d.fromName ?? d.ref);

/** Deliveries expected at this branch and ad hoc ones; every scan counts one unit. Works offline: it all goes to the local store. */
export function ReceiveScreen() {
  const t = useT();
  const lang = useLocale((s) => s.lang);
  const stockVersion = useApp((s) => s.stockVersion);
  const [expected, setExpected] = useState<ExpectedDelivery[]>([]);
  const [against, setAgainst] = useState<ExpectedDelivery | null>(null);
  const [supplier, setSupplier] = useState('');
  const [poRef, setPoRef] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [posted, setPosted] = useState<string | null>(null);
  const lines = useLines<ReceiveLine>((p) => ({ product: p, expected: null, received: 1 }), (l) => ({ ...l, received: l.received + 1 }), (c) => setError(`${t('notFound')} ${c}`));

  const reload = useCallback(() => { void call('expectedDeliveries', {}).then(setExpected, () => setExpected([])); }, []);
  useEffect(reload, [reload, stockVersion]);

  const open = (d: ExpectedDelivery) => {
    setAgainst(d); setPosted(null);
    lines.setLines(d.lines.map((l) => ({ product: l, expected: l.expected, received: 0 })));
  };
  const post = async () => {
    setError(null);
    const opId = uuidv7();
    const r = against?.kind === 'transfer'
      ? await invoke('transferIn', { opId, transferId: against.ref, lines: lines.lines.map((l) => ({ productId: l.product.productId, quantity: l.received })) })
      : await invoke('receive', {
        opId,
        // An expected purchase order is received by its ref, so central closes it; a typed PO ref is kept as the clerk gave it.
        source: against ? { kind: 'purchase_order', purchaseOrderRef: against.ref }
          : poRef.trim() ? { kind: 'purchase_order', purchaseOrderRef: poRef.trim() } : { kind: 'adhoc', ...(supplier.trim() ? { supplier: supplier.trim() } : {}) },
        // A product scanned that the order did not list was expected zero times: all of it is over.
        lines: lines.lines.map((l) => {
          const expectedQuantity = l.expected ?? (against ? 0 : null);
          return { productId: l.product.productId, receivedQuantity: l.received, ...(expectedQuantity !== null ? { expectedQuantity } : {}) };
        }),
      });
    if (!r.ok) { setError(r.error.message); return; }
    setPosted(r.value.discrepancyIds.length > 0 ? `${t('received_ok')} · ${num(lang, r.value.discrepancyIds.length)} ${t('discrepancies')}` : t('received_ok'));
    lines.clear(); setAgainst(null); setSupplier(''); setPoRef(''); reload();
  };

  return (
    <div className="screen receive" data-testid="receive-screen">
      <section>
        <h2>{t('expectedDeliveries')}</h2>
        {expected.length === 0 ? <p className="empty">{t('none')}</p> : (
          <ul className="cards">
            {expected.map((d) => (
              <li key={d.ref} className={`card ${against?.ref === d.ref ? 'active' : ''}`}>
                <button onClick={() => open(d)} data-testid={`receive-expected-${d.kind}`}>{label(d)} · {num(lang, d.lines.length)} {t('item')} {d.since ? `· ${dateTime(lang, d.since)}` : ''}</button>
              </li>
            ))}
          </ul>
        )}
        <button onClick={() => { setAgainst(null); lines.clear(); }} data-testid="receive-adhoc">{t('adHocDelivery')}</button>
      </section>
      <section>
        <h1>{against ? `${t('receive')}: ${label(against)}` : t('adHocDelivery')}</h1>
        {!against && (
          <div className="row">
            <label>{t('supplier')}<input value={supplier} maxLength={120} onChange={(e) => setSupplier(e.target.value)} data-testid="receive-supplier" /></label>
            <label>PO<input value={poRef} maxLength={64} onChange={(e) => setPoRef(e.target.value)} /></label>
          </div>
        )}
        <ProductPicker onPick={lines.add} testId="receive-search" />
        <ProductLines lines={lines.lines} onRemove={against ? undefined : lines.remove} testId="receive-lines" columns={[
          { label: t('expected'), numeric: true, render: (l, i) => (against ? num(lang, l.expected ?? 0) : poRef.trim()
            ? <QtyInput value={l.expected ?? 0} label={t('expected')} onChange={(n) => lines.update(i, (x) => ({ ...x, expected: n }))} /> : '—') },
          { label: t('received'), numeric: true, render: (l, i) => <QtyInput value={l.received} label={t('received')} testId="receive-qty" onChange={(n) => lines.update(i, (x) => ({ ...x, received: n }))} /> },
          { label: t('difference'), render: (l) => <Difference line={l} /> },
        ]} />
        <button className="primary big" disabled={!lines.lines.some((l) => l.received > 0)} onClick={() => { void post(); }} data-testid="receive-post">{t('postReceipt')}</button>
        <ErrorNote error={error} onClose={() => setError(null)} />
        {posted && <p className="success" role="status" data-testid="receive-done">{posted}</p>}
      </section>
    </div>
  );
}
