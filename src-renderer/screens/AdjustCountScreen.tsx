import { useState } from 'react';
import type { AdjustReason } from '../../src-shared/operations';
import { uuidv7 } from '../../src-shared/ids';
import { ErrorNote } from '../components/ErrorNote';
import { ProductLines, QtyInput, type LineProduct } from '../components/ProductLines';
import { ProductPicker } from '../components/ProductPicker';
import { num } from '../i18n/format';
import { useLocale, useT } from '../i18n/locale-store';
import { useApprovedSubmit } from '../hooks/useApprovedSubmit';
import { useLines } from '../hooks/useLines';
import { invoke } from '../transport/transport';

const REASONS: AdjustReason[] = ['damaged', 'expired', 'theft', 'found', 'correction'];

interface AdjustLine { product: LineProduct; delta: number }
interface CountLine { product: LineProduct; expected: number; counted: number }

export function AdjustCountScreen() {
  const t = useT();
  const [mode, setMode] = useState<'adjust' | 'count'>('adjust');
  return (
    <div className="screen adjust" data-testid="adjust-screen">
      <div className="segmented" role="tablist">
        <button role="tab" aria-selected={mode === 'adjust'} className={mode === 'adjust' ? 'active' : ''} onClick={() => setMode('adjust')} data-testid="mode-adjust">{t('adjustment')}</button>
        <button role="tab" aria-selected={mode === 'count'} className={mode === 'count' ? 'active' : ''} onClick={() => setMode('count')} data-testid="mode-count">{t('count')}</button>
      </div>
      {mode === 'adjust' ? <Adjustment /> : <Count />}
    </div>
  );
}

/** A correction with a reason code; the core asks for a manager above its threshold. */
function Adjustment() {
  const t = useT();
  const [reason, setReason] = useState<AdjustReason>('damaged');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const lines = useLines<AdjustLine>((p) => ({ product: p, delta: reason === 'found' ? 1 : -1 }), (l) => ({ ...l, delta: l.delta + Math.sign(l.delta || 1) }), (c) => setError(`${t('notFound')} ${c}`));
  const flow = useApprovedSubmit(() => { setDone(true); lines.clear(); setNote(''); }, setError);
  const send = () => {
    const opId = uuidv7();
    setDone(false);
    void flow.submit((approval) => invoke('adjust', {
      opId, reason, lines: lines.lines.filter((l) => l.delta !== 0).map((l) => ({ productId: l.product.productId, quantityDelta: l.delta })),
      ...(note.trim() ? { note: note.trim() } : {}), ...(approval ? { approval } : {}),
    }));
  };
  return (
    <section>
      <h1>{t('adjustment')}</h1>
      <label>{t('reasonCode')}
        <select value={reason} onChange={(e) => setReason(e.target.value as AdjustReason)} data-testid="adjust-reason">
          {REASONS.map((r) => <option key={r} value={r}>{t(r)}</option>)}
        </select>
      </label>
      <ProductPicker onPick={lines.add} testId="adjust-search" />
      <ProductLines lines={lines.lines} onRemove={lines.remove} testId="adjust-lines" columns={[
        { label: t('delta'), numeric: true, render: (l, i) => (
          <input type="number" step={1} className="qty-input" value={l.delta} aria-label={t('delta')} data-testid="adjust-delta"
            onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n)) lines.update(i, (x) => ({ ...x, delta: n })); }} />
        ) },
      ]} />
      <label>{t('reason')}<input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} /></label>
      <button className="primary big" disabled={flow.busy || !lines.lines.some((l) => l.delta !== 0)} onClick={send} data-testid="adjust-post">{t('postAdjustment')}</button>
      <ErrorNote error={error} onClose={() => setError(null)} />
      {done && <p className="success" role="status" data-testid="adjust-done">{t('posted')}</p>}
      {flow.dialog}
    </section>
  );
}

/** A cycle count of a shelf or category: counted vs expected shown line by line before it is posted. */
function Count() {
  const t = useT();
  const lang = useLocale((s) => s.lang);
  const [scope, setScope] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const lines = useLines<CountLine>((p) => ({ product: p, expected: p.quantity, counted: 1 }), (l) => ({ ...l, counted: l.counted + 1 }), (c) => setError(`${t('notFound')} ${c}`));
  const flow = useApprovedSubmit<{ lines: { delta: number }[] }>((r) => {
    const moved = r.lines.reduce((s, l) => s + Math.abs(l.delta), 0);
    setDone(`${t('posted')} · ${t('difference')} ${num(lang, moved)}`);
    lines.clear();
  }, setError);
  const send = () => {
    const opId = uuidv7();
    setDone(null);
    void flow.submit((approval) => invoke('count', {
      opId, ...(scope.trim() ? { scope: scope.trim() } : {}),
      lines: lines.lines.map((l) => ({ productId: l.product.productId, counted: l.counted })), ...(approval ? { approval } : {}),
    }));
  };
  return (
    <section>
      <h1>{t('count')}</h1>
      <label>{t('scope')}<input value={scope} maxLength={120} onChange={(e) => setScope(e.target.value)} /></label>
      <ProductPicker onPick={lines.add} testId="count-search" />
      <ProductLines lines={lines.lines} onRemove={lines.remove} testId="count-lines" columns={[
        { label: t('expected'), numeric: true, render: (l) => num(lang, l.expected) },
        { label: t('counted'), numeric: true, render: (l, i) => <QtyInput value={l.counted} label={t('counted')} onChange={(n) => lines.update(i, (x) => ({ ...x, counted: n }))} /> },
        { label: t('difference'), numeric: true, render: (l) => <span className={l.counted < l.expected ? 'short' : l.counted > l.expected ? 'over' : ''}>{num(lang, l.counted - l.expected)}</span> },
      ]} />
      <button className="primary big" disabled={flow.busy || lines.lines.length === 0} onClick={send} data-testid="count-post">{t('postCount')}</button>
      <ErrorNote error={error} onClose={() => setError(null)} />
      {done && <p className="success" role="status">{done}</p>}
      {flow.dialog}
    </section>
  );
}
