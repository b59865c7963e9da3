import { useCallback, useEffect, useState } from 'react';
import type { ReservationRow, FollowUpRow } from '../../src-shared/branch-api';
import type { SaleReceipt } from '../../src-shared/branch-inputs';
import { uuidv7 } from '../../src-shared/ids';
import { ErrorNote } from '../components/ErrorNote';
import { ProductLines, QtyInput, type LineProduct } from '../components/ProductLines';
import { ProductPicker } from '../components/ProductPicker';
import { productName } from '../components/product-name';
import { dateTime, num } from '../i18n/format';
import { useLocale, useT } from '../i18n/locale-store';
import { useLines } from '../hooks/useLines';
import { useApp } from '../state/app-store';
import { call, invoke } from '../transport/transport';
import { PaymentPanel } from './sell/PaymentPanel';
import { ReceiptView } from './sell/ReceiptView';
import { toPayment } from './sell/payment';

interface OrderLine { product: LineProduct; quantity: number }

/** Reserve for a customer, fulfil (with payment) or cancel; the follow-ups to call about. */
export function OrdersScreen() {
  const t = useT();
  const lang = useLocale((s) => s.lang);
  const till = useApp((s) => s.till);
  const stockVersion = useApp((s) => s.stockVersion);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [orders, setOrders] = useState<ReservationRow[]>([]);
  const [followUps, setFollowUps] = useState<FollowUpRow[]>([]);
  const [paying, setPaying] = useState<{ order: ReservationRow; totalMinor: number } | null>(null);
  const [receipt, setReceipt] = useState<SaleReceipt | null>(null);
  const lines = useLines<OrderLine>((p) => ({ product: p, quantity: 1 }), (l) => ({ ...l, quantity: l.quantity + 1 }), undefined, !paying);

  const reload = useCallback(() => {
    void call('reservations', { openOnly: true }).then(setOrders, () => setOrders([]));
    void call('followUps', {}).then(setFollowUps, () => setFollowUps([]));
  }, []);
  useEffect(reload, [reload, stockVersion]);

  const reserve = async () => {
    const r = await invoke('reserve', { opId: uuidv7(), customer: { name: name.trim(), phone: phone.trim() }, lines: lines.lines.map((l) => ({ productId: l.product.productId, quantity: l.quantity })) });
    if (!r.ok) { setError(r.error.message); return; }
    setError(null); setName(''); setPhone(''); lines.clear(); reload();
  };
  const startFulfil = async (order: ReservationRow) => {
    // Price the order as the store will: from the catalog, by SKU.
    const priced = await Promise.all(order.lines.map((l) => call('lookupProduct', { code: l.sku }).then((p) => (p?.priceMinor ?? 0) * l.quantity)));
    setPaying({ order, totalMinor: priced.reduce((a, b) => a + b, 0) });
  };
  const cancel = async (order: ReservationRow) => {
    const r = await invoke('release', { opId: uuidv7(), reservationId: order.reservationId });
    if (!r.ok) setError(r.error.message);
    reload();
  };

  if (receipt) return <div className="screen"><ReceiptView receipt={receipt} onDone={() => { setReceipt(null); reload(); }} /></div>;

  return (
    <div className="screen orders" data-testid="orders-screen">
      <section>
        <h1>{t('reserveFor')}</h1>
        <div className="row">
          <label>{t('customer')}<input value={name} maxLength={120} onChange={(e) => setName(e.target.value)} data-testid="order-name" /></label>
          <label>{t('phone')}<input type="tel" value={phone} maxLength={24} onChange={(e) => setPhone(e.target.value)} data-testid="order-phone" /></label>
        </div>
        <ProductPicker onPick={lines.add} testId="order-search" />
        <ProductLines lines={lines.lines} onRemove={lines.remove} testId="order-lines" columns={[
          { label: t('qty'), numeric: true, render: (l, i) => <QtyInput min={1} value={l.quantity} label={t('qty')} onChange={(n) => lines.update(i, (x) => ({ ...x, quantity: n }))} /> },
        ]} />
        <button className="primary big" disabled={!name.trim() || !phone.trim() || lines.lines.length === 0} onClick={() => { void reserve(); }} data-testid="order-reserve">{t('reserve')}</button>
        <ErrorNote error={error} onClose={() => setError(null)} />
      </section>
      <section>
        <h2>{t('openOrders')}</h2>
        {orders.length === 0 ? <p className="empty">{t('none')}</p> : (
          <ul className="cards" data-testid="open-orders">
            {orders.map((o) => (
              <li key={o.reservationId} className="card">
                <strong>{o.customer.name}</strong> <a href={`tel:${o.customer.phone}`}>{o.customer.phone}</a> <small>{dateTime(lang, o.occurredAt)} · {o.status}</small>
                <ul>{o.lines.map((l) => <li key={l.productId}>{num(lang, l.quantity)} × {productName(lang, l)}</li>)}</ul>
                <div className="actions">
                  <button className="primary" onClick={() => { void startFulfil(o); }}>{t('fulfil')}</button>
                  <button onClick={() => { void cancel(o); }}>{t('release')}</button>
                </div>
              </li>
            ))}
          </ul>
        )}
        <h2>{t('followUps')}</h2>
        {followUps.length === 0 ? <p className="empty" data-testid="follow-ups-empty">{t('none')}</p> : (
          <ul className="cards" data-testid="follow-ups-list">
            {followUps.map((f) => (
              <li key={f.id} className="card"><strong>{f.customer.name}</strong> <a href={`tel:${f.customer.phone}`}>{f.customer.phone}</a> — {f.reason} <small>{t('callCustomer')}</small></li>
            ))}
          </ul>
        )}
      </section>
      {paying && till && (
        <div className="dialog-backdrop"><div className="dialog" role="dialog" aria-modal="true">
          <h2>{t('fulfil')}: {paying.order.customer.name}</h2>
          <PaymentPanel totalUsdMinor={paying.totalMinor} lbpPerUsd={till.lbpPerUsd} busy={false} onCancel={() => setPaying(null)}
            onComplete={(tender) => {
              void invoke('fulfil', { opId: uuidv7(), reservationId: paying.order.reservationId, payments: [toPayment(tender)], lbpPerUsd: till.lbpPerUsd })
                .then((r) => { setPaying(null); if (r.ok) setReceipt(r.value); else setError(r.error.message); });
            }} />
        </div></div>
      )}
    </div>
  );
}
