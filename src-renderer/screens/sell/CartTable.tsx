import { Money } from '../../components/Money';
import { productName } from '../../components/product-name';
import { useLocale, useT } from '../../i18n/locale-store';
import { useCart } from '../../state/cart-store';

export function CartTable() {
  const t = useT();
  const lang = useLocale((s) => s.lang);
  const { lines, selected, setQuantity, remove, select } = useCart();
  if (lines.length === 0) return <p className="empty" data-testid="cart-empty">{t('cartEmpty')}</p>;
  return (
    <table className="cart" data-testid="cart">
      <thead>
        <tr><th>{t('item')}</th><th className="num">{t('qty')}</th><th className="num">{t('price')}</th><th className="num">{t('total')}</th><th /></tr>
      </thead>
      <tbody>
        {lines.map((l, i) => (
          <tr key={l.product.productId} className={i === selected ? 'selected' : ''} data-testid="cart-line" onClick={() => select(i)}>
            <td><span className="name">{productName(lang, l.product)}</span><span className="sku">{l.product.sku}</span></td>
            <td className="num qty-cell">
              <button aria-label="-" onClick={() => setQuantity(l.product.productId, l.quantity - 1)}>−</button>
              <input type="number" min={1} value={l.quantity} aria-label={t('qty')} data-testid="cart-qty"
                onChange={(e) => setQuantity(l.product.productId, Number(e.target.value))} />
              <button aria-label="+" onClick={() => setQuantity(l.product.productId, l.quantity + 1)}>+</button>
            </td>
            <td className="num"><Money minor={l.product.priceMinor} currency={l.product.currency} /></td>
            <td className="num"><Money minor={l.product.priceMinor * l.quantity} currency={l.product.currency} /></td>
            <td><button className="danger" onClick={() => remove(l.product.productId)} aria-label={t('remove')}>✕</button></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
