import { useEffect, useState } from 'react';
import { ago, num } from '../i18n/format';
import { useLocale, useT } from '../i18n/locale-store';
import { useApp } from '../state/app-store';

/** Always visible: is the till talking to central, what is waiting, what needs a person. */
export function StatusBar() {
  const t = useT();
  const lang = useLocale((s) => s.lang);
  const sync = useApp((s) => s.sync);
  const [, tick] = useState(0);
  // "3 min ago" must age on its own.
  useEffect(() => { const h = setInterval(() => tick((n) => n + 1), 30_000); return () => clearInterval(h); }, []);
  if (!sync) return <footer className="status-bar" role="status" />;
  return (
    <footer className={`status-bar state-${sync.state}`} role="status" aria-live="polite" data-testid="status-bar">
      <span className="status-dot" aria-hidden="true" />
      <span data-testid="sync-state">{t(sync.state)}</span>
      <span data-testid="pending-ops">{num(lang, sync.pendingOps)} {t('pending')}</span>
      <span>{t('lastSync')}: {sync.lastSyncAt ? ago(lang, sync.lastSyncAt) : t('never')}</span>
      {sync.progress && <progress max={sync.progress.total} value={sync.progress.done} />}
      <span data-testid="follow-ups">{num(lang, sync.openFollowUps)} {t('followUpsShort')}</span>
      <span data-testid="discrepancies">{num(lang, sync.openDiscrepancies)} {t('discrepancies')}</span>
    </footer>
  );
}
