import { Money, UsdWithLbp } from '../../components/Money';
import { useT } from '../../i18n/locale-store';
import { cartTotals, useCart } from '../../state/cart-store';

export function CartTotals() {
  const t = useT();
  const lines = useCart((s) => s.lines);
  const totals = cartTotals(lines);
  return (
    <dl className="totals">
      <dt>{t('subtotal')}</dt><dd><Money minor={totals.netMinor} currency="USD" /></dd>
      <dt>{t('tax')}</dt><dd><Money minor={totals.taxMinor} currency="USD" /></dd>
      <dt className="grand">{t('total')}</dt><dd className="grand"><UsdWithLbp minor={totals.totalMinor} testId="cart-total" /></dd>
    </dl>
  );
}
