import { useCallback, useEffect, useRef, useState } from 'react';
import type { OtherBranchStockRow } from '../../src-shared/branch-api';
import type { InventorySummary, MovementRow, StockRow } from '../../src-shared/branch-inputs';
import { VirtualList } from '../components/VirtualList';
import { productName } from '../components/product-name';
import { dateTime, num } from '../i18n/format';
import { useLocale, useT } from '../i18n/locale-store';
import { useApp } from '../state/app-store';
import { call } from '../transport/transport';

const PAGE = 500;
const ROW_HEIGHT = 44;

function StockLine({ row, onPick }: { row: StockRow; onPick(row: StockRow): void }) {
  const lang = useLocale((s) => s.lang);
  const low = row.available <= row.reorderLevel;
  return (
    <button className={`stock-row ${low ? 'low' : ''}`} onClick={() => onPick(row)} data-testid="stock-row">
      <span className="sku">{row.sku}</span>
      <span className="name">{productName(lang, row)}</span>
      <span className="num">{num(lang, row.quantity)}</span>
      <span className="num">{num(lang, row.reserved)}</span>
      <span className="num strong">{num(lang, row.available)}</span>
      <span className="num">{num(lang, row.inTransitIn + row.inTransitOut)}</span>
    </button>
  );
}

/** This branch's stock: every product (virtualized, loaded page by page), low stock, and a product's movements. */
export function StockScreen() {
  const t = useT();
  const lang = useLocale((s) => s.lang);
  const stockVersion = useApp((s) => s.stockVersion);
  const lastSyncAt = useApp((s) => s.sync?.lastSyncAt ?? null);
  const [view, setView] = useState<'all' | 'low'>('all');
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<StockRow[]>([]);
  const [summary, setSummary] = useState<InventorySummary | null>(null);
  const [picked, setPicked] = useState<StockRow | null>(null);
  const [history, setHistory] = useState<MovementRow[]>([]);
  const [others, setOthers] = useState<OtherBranchStockRow[]>([]);
  const next = useRef<string | null>(null);
  const loading = useRef(false);
  const generation = useRef(0);

  const load = useCallback(async (fresh: boolean) => {
    if (loading.current && !fresh) return;
    const gen = fresh ? ++generation.current : generation.current;
    if (!fresh && next.current === null) return;
    loading.current = true;
    try {
      if (view === 'low') {
        const low = await call('lowStock', { limit: 1000 });
        if (gen === generation.current) { setRows(low); next.current = null; }
        return;
      }
      const page = await call('stockList', { limit: PAGE, ...(fresh || next.current === null ? {} : { afterSku: next.current }), ...(search.trim() ? { search: search.trim() } : {}) });
      if (gen !== generation.current) return;
      next.current = page.nextAfterSku;
      setRows((rs) => (fresh ? page.rows : [...rs, ...page.rows]));
    } finally {
      loading.current = false;
    }
  }, [view, search]);

  useEffect(() => { void load(true); }, [load, stockVersion]);
  useEffect(() => { void call('inventorySummary', {}).then(setSummary, () => setSummary(null)); }, [stockVersion]);
  useEffect(() => {
    if (!picked) return;
    void call('movementHistory', { productId: picked.productId, limit: 100 }).then(setHistory, () => setHistory([]));
    void call('otherBranchesStock', { productId: picked.productId }).then(setOthers, () => setOthers([]));
  }, [picked, stockVersion]);
  const more = useCallback(() => { void load(false); }, [load]);

  return (
    <div className="screen stock" data-testid="stock-screen">
      {summary && (
        <dl className="summary" data-testid="stock-summary">
          <dt>{t('allProducts')}</dt><dd>{num(lang, summary.products)}</dd>
          <dt>{t('available')}</dt><dd>{num(lang, summary.totalAvailable)}</dd>
          <dt>{t('reserved')}</dt><dd>{num(lang, summary.totalReserved)}</dd>
          <dt>{t('lowStock')}</dt><dd>{num(lang, summary.lowStock)}</dd>
          <dt>{t('inTransit')}</dt><dd>{num(lang, summary.inTransitIn + summary.inTransitOut)}</dd>
        </dl>
      )}
      {/* Central's figures for the other branches come with sync; before the first one the screen says so. */}
      <p className="note" data-testid="other-branches">
        {t('otherBranches')}: {lastSyncAt ? `${t('asOf')} ${dateTime(lang, lastSyncAt)}` : t('otherBranchesAfterSync')}
      </p>
      <div className="row">
        <div className="segmented" role="tablist">
          <button role="tab" aria-selected={view === 'all'} className={view === 'all' ? 'active' : ''} onClick={() => setView('all')}>{t('allProducts')}</button>
          <button role="tab" aria-selected={view === 'low'} className={view === 'low' ? 'active' : ''} onClick={() => setView('low')} data-testid="stock-low">{t('lowStock')}</button>
        </div>
        {view === 'all' && <input value={search} placeholder={t('scanOrSearch')} onChange={(e) => setSearch(e.target.value)} data-testid="stock-search" />}
      </div>
      <div className="stock-grid">
        <div>
          <div className="stock-row head" aria-hidden="true">
            <span className="sku">{t('sku')}</span><span className="name">{t('name')}</span><span className="num">{t('quantity')}</span>
            <span className="num">{t('reserved')}</span><span className="num">{t('available')}</span><span className="num">{t('inTransit')}</span>
          </div>
          <VirtualList items={rows} rowHeight={ROW_HEIGHT} height={520} testId="stock-list" onNearEnd={more}
            rowKey={(r) => r.productId} renderRow={(r) => <StockLine row={r} onPick={setPicked} />} />
        </div>
        {picked && (
          <aside className="history" data-testid="movement-history">
            <h2>{t('otherBranches')}: {productName(lang, picked)}</h2>
            <table data-testid="other-branches-stock">
              <thead><tr><th>{t('name')}</th><th className="num">{t('available')}</th><th>{t('asOf')}</th></tr></thead>
              <tbody>
                {others.map((o) => (
                  <tr key={o.warehouseId} data-testid="other-branch-row"><td>{o.name}</td><td className="num">{num(lang, o.available)}</td><td>{dateTime(lang, o.asOf)}</td></tr>
                ))}
              </tbody>
            </table>
            <h2>{t('history')}: {productName(lang, picked)}</h2>
            <table>
              <thead><tr><th>{t('date')}</th><th>{t('type')}</th><th className="num">{t('change')}</th></tr></thead>
              <tbody>
                {history.map((m) => (
                  <tr key={m.id}><td>{dateTime(lang, m.createdAt)}</td><td>{m.movementType}</td><td className="num">{num(lang, m.quantityDelta)}</td></tr>
                ))}
              </tbody>
            </table>
          </aside>
        )}
      </div>
    </div>
  );
}
