import { forwardRef, useRef, useState } from 'react';
import type { ProductLookupRow } from '../../src-shared/branch-inputs';
import { money, num } from '../i18n/format';
import { productName } from './product-name';
import { useLocale, useT } from '../i18n/locale-store';
import { call } from '../transport/transport';

interface Props {
  onPick(product: ProductLookupRow): void;
  onNotFound?(code: string): void;
  placeholder?: string;
  testId?: string;
}

/**
 * Search as you type by name (English or Arabic) or SKU; Enter takes the
 * highlighted result, or looks the text up as a barcode/SKU. Answers that come
 * back out of order are dropped, so the list always matches the text.
 */
export const ProductPicker = forwardRef<HTMLInputElement, Props>(function ProductPicker({ onPick, onNotFound, placeholder, testId = 'product-search' }, ref) {
  const t = useT();
  const lang = useLocale((s) => s.lang);
  const [text, setText] = useState('');
  const [results, setResults] = useState<ProductLookupRow[]>([]);
  /** The text the shown results answer (it lags the field while a search is in flight). */
  const [answered, setAnswered] = useState('');
  const [active, setActive] = useState(0);
  const seq = useRef(0);

  const search = (value: string) => {
    setText(value);
    const mine = ++seq.current;
    // Digits only is a barcode being scanned or keyed: names do not start with one, Enter looks it up.
    if (value.trim() === '' || /^\d+$/.test(value.trim())) { setResults([]); return; }
    void call('searchProducts', { prefix: value.trim(), limit: 20 }).then((rows) => {
      if (mine === seq.current) { setResults(rows); setActive(0); setAnswered(value); }
    }, () => { if (mine === seq.current) setResults([]); });
  };
  const pick = (p: ProductLookupRow) => { seq.current++; setText(''); setResults([]); onPick(p); };
  const enter = async () => {
    const chosen = results[active];
    if (chosen) return pick(chosen);
    const code = text.trim();
    if (!code) return;
    const hit = await call('lookupProduct', { code });
    if (hit) pick(hit);
    else onNotFound?.(code);
  };

  return (
    <div className="picker">
      <input ref={ref} className="picker-input" value={text} placeholder={placeholder ?? t('scanOrSearch')} data-testid={testId}
        aria-label={placeholder ?? t('scanOrSearch')} autoComplete="off"
        onChange={(e) => search(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') { e.preventDefault(); void enter(); }
          else if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(a + 1, results.length - 1)); }
          else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(a - 1, 0)); }
          else if (e.key === 'Escape' && text) { e.stopPropagation(); search(''); }
        }} />
      {results.length > 0 && (
        <ul className="picker-results" role="listbox" data-testid={`${testId}-results`} data-query={answered}>
          {results.map((p, i) => (
            <li key={p.productId} role="option" aria-selected={i === active} className={i === active ? 'active' : ''}
              onMouseDown={(e) => { e.preventDefault(); pick(p); }}>
              <span className="sku">{p.sku}</span>
              <span className="name">{productName(lang, p)}</span>
              <span className="num">{num(lang, p.available)}</span>
              <span className="money">{money(lang, p.priceMinor, p.currency)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});
