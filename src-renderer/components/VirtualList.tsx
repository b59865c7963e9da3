import { useEffect, useRef, useState, type ReactNode } from 'react';

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  height: number;
  /** Rows drawn beyond the visible ones, so a fast scroll does not show blanks. */
  overscan?: number;
  renderRow(item: T, index: number): ReactNode;
  rowKey(item: T, index: number): string;
  /** Called when the last rows come into view (to fetch the next page). */
  onNearEnd?: () => void;
  testId?: string;
}

/**
 * Draws only the rows in view: 100,000 products cost the same as 30. Rows are
 * absolutely placed inside a spacer as tall as the whole list (styles set
 * through the DOM, which the strict CSP allows); the row's inline extent uses
 * logical properties in CSS, so it lays out right-to-left in Arabic.
 */
export function VirtualList<T>({ items, rowHeight, height, overscan = 8, renderRow, rowKey, onNearEnd, testId }: Props<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const nearEnd = last >= items.length - overscan;
  useEffect(() => { if (nearEnd && onNearEnd) onNearEnd(); }, [nearEnd, onNearEnd, items.length]);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i += 1) {
    const item = items[i] as T;
    rows.push(
      <div key={rowKey(item, i)} className="vrow" role="row" aria-rowindex={i + 1} style={{ top: i * rowHeight, height: rowHeight }}>
        {renderRow(item, i)}
      </div>,
    );
  }
  return (
    <div ref={ref} className="vlist" role="table" aria-rowcount={items.length} data-testid={testId} tabIndex={0}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      style={{ height }}
      onKeyDown={(e) => {
        const el = ref.current;
        if (!el) return;
        if (e.key === 'PageDown') el.scrollTop += height;
        else if (e.key === 'PageUp') el.scrollTop -= height;
        else if (e.key === 'Home') el.scrollTop = 0;
        else if (e.key === 'End') el.scrollTop = el.scrollHeight;
      }}>
      <div className="vspacer" style={{ height: items.length * rowHeight }}>{rows}</div>
    </div>
  );
}
