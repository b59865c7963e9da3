import { useLayoutEffect, useRef, useState } from 'react';
import type { SaleReceipt } from '../../../src-shared/branch-inputs';
import { uuidv7 } from '../../../src-shared/ids';
import { ErrorNote } from '../../components/ErrorNote';
import { ManagerApproval } from '../../components/ManagerApproval';
import { ProductPicker } from '../../components/ProductPicker';
import { useT } from '../../i18n/locale-store';
import { useScanner } from '../../hooks/useScanner';
import { useApp } from '../../state/app-store';
import { cartTotals, useCart } from '../../state/cart-store';
import { call, invoke } from '../../transport/transport';
import { CartTable } from './CartTable';
import { CartTotals } from './CartTotals';
import { PaymentPanel } from './PaymentPanel';
import { ReceiptView } from './ReceiptView';
import { toPayment, type Tender } from './payment';

interface Shortage { message: string; tender: Tender }

/** The till: scan anywhere, F12 to pay, Enter to complete, Enter again for the next customer. */
export function SellScreen() {
  const t = useT();
  const till = useApp((s) => s.till);
  const cart = useCart();
  const [paying, setPaying] = useState(false);
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<SaleReceipt | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shortage, setShortage] = useState<Shortage | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const totals = cartTotals(cart.lines);

  const scan = async (code: string) => {
    if (receipt) newSale();
    const p = await call('lookupProduct', { code }).catch(() => null);
    if (p) { cart.add(p); setError(null); } else setError(`${t('notFound')} ${code}`);
  };
  useScanner((code) => { void scan(code); }, !paying && !shortage);

  const newSale = () => { cart.clear(); setReceipt(null); setPaying(false); setError(null); searchRef.current?.focus(); };

  // Layout effect: the keys must follow the screen from the moment it changes, not after the next paint.
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // On the receipt, Enter or Esc starts the next customer wherever the focus is (the Print button keeps its Enter).
      if (receipt && (e.key === 'Enter' || e.key === 'Escape') && !(e.target instanceof HTMLElement && e.target.dataset.testid === 'print')) { e.preventDefault(); newSale(); }
      else if (e.key === 'F12' && cart.lines.length > 0 && !receipt) { e.preventDefault(); setPaying(true); }
      else if (e.key === 'Escape' && !paying && !shortage) { e.preventDefault(); newSale(); }
      else if (!paying && cart.selected >= 0 && !(e.target instanceof HTMLInputElement)) {
        // The selected line (the last scanned, or arrowed to): Delete removes it, + and - change its quantity.
        const line = cart.lines[cart.selected];
        if (!line) return;
        if (e.key === 'Delete') cart.remove(line.product.productId);
        else if (e.key === '+') cart.setQuantity(line.product.productId, line.quantity + 1);
        else if (e.key === '-') cart.setQuantity(line.product.productId, line.quantity - 1);
        else if (e.key === 'ArrowUp') cart.select(Math.max(0, cart.selected - 1));
        else if (e.key === 'ArrowDown') cart.select(Math.min(cart.lines.length - 1, cart.selected + 1));
        else return;
        e.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const complete = async (tender: Tender, override?: { approval: { managerId: string; pin: string }; reason: string }) => {
    if (!till) return;
    setBusy(true);
    setError(null);
    const r = await invoke('sell', {
      opId: uuidv7(),
      lines: cart.lines.map((l) => ({ productId: l.product.productId, quantity: l.quantity })),
      payments: [toPayment(tender)],
      lbpPerUsd: till.lbpPerUsd,
      ...(override ? { approval: override.approval, overrideReason: override.reason } : {}),
    });
    setBusy(false);
    if (r.ok) { setReceipt(r.value); setPaying(false); setShortage(null); return; }
    if (r.error.code === 'insufficient_stock') { setShortage({ message: r.error.message, tender }); return; }
    setShortage(null);
    setError(r.error.message);
  };

  if (receipt) return <div className="screen sell"><ReceiptView receipt={receipt} onDone={newSale} /></div>;

  return (
    <div className="screen sell" data-testid="sell-screen">
      <div className="sell-main">
        <ProductPicker ref={searchRef} onPick={(p) => { cart.add(p); setError(null); }} onNotFound={(c) => setError(`${t('notFound')} ${c}`)} />
        <ErrorNote error={error} onClose={() => setError(null)} />
        <CartTable />
      </div>
      <aside className="sell-side">
        <CartTotals />
        {paying && till
          ? <PaymentPanel totalUsdMinor={totals.totalMinor} lbpPerUsd={till.lbpPerUsd} busy={busy}
              onComplete={(tender) => { void complete(tender); }} onCancel={() => { setPaying(false); searchRef.current?.focus(); }} />
          : <button className="primary big" disabled={cart.lines.length === 0} onClick={() => setPaying(true)} data-testid="pay">{t('pay')}</button>}
        <button onClick={newSale}>{t('clear')}</button>
      </aside>
      {shortage && (
        <div className="shortage" role="alert" data-testid="shortage">
          <h2>{t('insufficient')}</h2>
          <p>{shortage.message}</p>
          <p>{t('overrideHint')}</p>
          <ManagerApproval message={shortage.message} withReason
            onApprove={(approval, reason) => { void complete(shortage.tender, { approval, reason }); }}
            onCancel={() => setShortage(null)} />
        </div>
      )}
    </div>
  );
}
