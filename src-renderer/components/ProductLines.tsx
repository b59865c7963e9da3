import type { ReactNode } from 'react';
import { useLocale, useT } from '../i18n/locale-store';
import { productName } from './product-name';

export interface LineProduct { productId: string; sku: string; nameEn: string; nameAr: string }

export interface Column<L> { label: string; render(line: L, index: number): ReactNode; numeric?: boolean }

interface Props<L extends { product: LineProduct }> {
  lines: readonly L[];
  columns: readonly Column<L>[];
  onRemove?(index: number): void;
  testId?: string;
}

/** The product lines of a return, an order, a delivery, an adjustment, a count or a transfer. */
export function ProductLines<L extends { product: LineProduct }>({ lines, columns, onRemove, testId = 'lines' }: Props<L>) {
  const t = useT();
  const lang = useLocale((s) => s.lang);
  if (lines.length === 0) return <p className="empty">{t('none')}</p>;
  return (
    <table className="lines" data-testid={testId}>
      <thead>
        <tr><th>{t('item')}</th>{columns.map((c) => <th key={c.label} className={c.numeric ? 'num' : ''}>{c.label}</th>)}{onRemove && <th />}</tr>
      </thead>
      <tbody>
        {lines.map((l, i) => (
          <tr key={l.product.productId} data-testid={`${testId}-row`}>
            <td><span className="name">{productName(lang, l.product)}</span><span className="sku">{l.product.sku}</span></td>
            {columns.map((c) => <td key={c.label} className={c.numeric ? 'num' : ''}>{c.render(l, i)}</td>)}
            {onRemove && <td><button className="danger" aria-label={t('remove')} onClick={() => onRemove(i)}>✕</button></td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A whole-number field for a line's quantity. */
export function QtyInput({ value, onChange, min = 0, testId, label }: { value: number; onChange(n: number): void; min?: number; testId?: string; label: string }) {
  return (
    <input type="number" className="qty-input" min={min} step={1} value={value} aria-label={label} data-testid={testId}
      onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= min) onChange(n); }} />
  );
}
