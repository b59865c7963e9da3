import { useCallback, useEffect, useState } from 'react';
import type { WarehouseRow } from '../../src-shared/branch-api';
import type { TransferResult } from '../../src-shared/branch-inputs';
import { uuidv7 } from '../../src-shared/ids';
import { ErrorNote } from '../components/ErrorNote';
import { ProductLines, QtyInput, type LineProduct } from '../components/ProductLines';
import { ProductPicker } from '../components/ProductPicker';
import { dateTime, num } from '../i18n/format';
import { useLocale, useT } from '../i18n/locale-store';
import { useLines } from '../hooks/useLines';
import { useApp } from '../state/app-store';
import { call, invoke } from '../transport/transport';

interface TransferLine { product: LineProduct; quantity: number }

/** Send stock to another branch; see what is still in transit. */
export function TransfersScreen() {
  const t = useT();
  const lang = useLocale((s) => s.lang);
  const stockVersion = useApp((s) => s.stockVersion);
  const [warehouses, setWarehouses] = useState<WarehouseRow[]>([]);
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [inTransit, setInTransit] = useState<TransferResult[]>([]);
  const [error, setError] = useState<string | null>(null);
  const lines = useLines<TransferLine>((p) => ({ product: p, quantity: 1 }), (l) => ({ ...l, quantity: l.quantity + 1 }), (c) => setError(`${t('notFound')} ${c}`));

  const reload = useCallback(() => { void call('transfersInTransit', {}).then(setInTransit, () => setInTransit([])); }, []);
  useEffect(() => {
    void call('warehouses', {}).then((ws) => { const others = ws.filter((w) => !w.isThisBranch); setWarehouses(others); setTo((x) => x || others[0]?.warehouseId || ''); });
  }, []);
  useEffect(reload, [reload, stockVersion]);
  const nameOf = (id: string) => warehouses.find((w) => w.warehouseId === id)?.name ?? id.slice(-8);

  const send = async () => {
    const r = await invoke('transferOut', { opId: uuidv7(), toWarehouseId: to, lines: lines.lines.map((l) => ({ productId: l.product.productId, quantity: l.quantity })), ...(note.trim() ? { note: note.trim() } : {}) });
    if (!r.ok) { setError(r.error.message); return; }
    setError(null); lines.clear(); setNote(''); reload();
  };

  return (
    <div className="screen transfers" data-testid="transfers-screen">
      <section>
        <h1>{t('transfers')}</h1>
        <label>{t('destination')}
          <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="transfer-to">
            {warehouses.map((w) => <option key={w.warehouseId} value={w.warehouseId}>{w.name}</option>)}
          </select>
        </label>
        <ProductPicker onPick={lines.add} testId="transfer-search" />
        <ProductLines lines={lines.lines} onRemove={lines.remove} testId="transfer-lines" columns={[
          { label: t('qty'), numeric: true, render: (l, i) => <QtyInput min={1} value={l.quantity} label={t('qty')} onChange={(n) => lines.update(i, (x) => ({ ...x, quantity: n }))} /> },
        ]} />
        <label>{t('reason')}<input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} /></label>
        <button className="primary big" disabled={!to || lines.lines.length === 0} onClick={() => { void send(); }} data-testid="transfer-send">{t('send')}</button>
        <ErrorNote error={error} onClose={() => setError(null)} />
      </section>
      <section>
        <h2>{t('inTransit')}</h2>
        {inTransit.length === 0 ? <p className="empty">{t('none')}</p> : (
          <ul className="cards" data-testid="in-transit">
            {inTransit.map((tr) => (
              <li key={tr.transferId} className="card">
                → <strong>{nameOf(tr.toWarehouseId)}</strong> · {dateTime(lang, tr.occurredAt)} · {num(lang, tr.lines.reduce((s, l) => s + (l.dispatched ?? 0), 0))} {t('quantity')}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
