import { useT } from '../i18n/locale-store';

export function ErrorNote({ error, onClose }: { error: string | null; onClose?: () => void }) {
  const t = useT();
  if (!error) return null;
  return (
    <div className="error-note" role="alert" data-testid="error">
      <span>{error}</span>
      {onClose && <button onClick={onClose}>{t('close')}</button>}
    </div>
  );
}
