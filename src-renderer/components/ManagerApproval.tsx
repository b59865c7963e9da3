import { useEffect, useState } from 'react';
import type { ManagerApproval as Approval, UserSummary } from '../../src-shared/branch-api';
import { useT } from '../i18n/locale-store';
import { call } from '../transport/transport';

interface Props {
  /** What is being approved, shown to the manager. */
  message: string;
  withReason?: boolean;
  onApprove(approval: Approval, reason: string): void;
  onCancel(): void;
}

/** A manager at the till types their own PIN; the core checks it, the screen only carries it. */
export function ManagerApproval({ message, withReason = false, onApprove, onCancel }: Props) {
  const t = useT();
  const [managers, setManagers] = useState<UserSummary[]>([]);
  const [managerId, setManagerId] = useState('');
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  useEffect(() => {
    void call('listUsers', {}).then((us) => {
      const ms = us.filter((u) => u.role === 'manager');
      setManagers(ms);
      setManagerId((id) => id || ms[0]?.userId || '');
    });
  }, []);
  const ready = managerId !== '' && /^[0-9]{4,8}$/.test(pin) && (!withReason || reason.trim() !== '');
  const submit = () => { if (ready) onApprove({ managerId, pin }, reason.trim()); };
  return (
    <div className="dialog-backdrop">
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="approval-title" data-testid="manager-approval"
        onSubmit={(e) => { e.preventDefault(); submit(); }}
        onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
        <h2 id="approval-title">{t('managerApproval')}</h2>
        <p>{message}</p>
        <label>{t('manager')}
          <select value={managerId} onChange={(e) => setManagerId(e.target.value)} data-testid="approval-manager">
            {managers.map((m) => <option key={m.userId} value={m.userId}>{m.name}</option>)}
          </select>
        </label>
        {withReason && (
          <label>{t('reason')}
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} data-testid="approval-reason" />
          </label>
        )}
        <label>{t('pin')}
          <input type="password" inputMode="numeric" autoComplete="off" autoFocus={!withReason} value={pin} maxLength={8}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} data-testid="approval-pin" />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={!ready}>{t('approve')}</button>
          <button type="button" onClick={onCancel}>{t('cancel')}</button>
        </div>
      </form>
    </div>
  );
}
