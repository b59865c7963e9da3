import { useEffect, useState } from 'react';
import type { UserSummary } from '../../src-shared/branch-api';
import { ErrorNote } from '../components/ErrorNote';
import { useT } from '../i18n/locale-store';
import { SCREENS_BY_ROLE, useApp } from '../state/app-store';
import { invoke, call } from '../transport/transport';

/** Pick your name, type your PIN. When the till is locked, the same user is preselected. */
export function SignInScreen() {
  const t = useT();
  const session = useApp((s) => s.session);
  const setSession = useApp((s) => s.setSession);
  const setScreen = useApp((s) => s.setScreen);
  const [users, setUsers] = useState<UserSummary[]>([]);
  const [userId, setUserId] = useState(session?.user?.userId ?? '');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { void call('listUsers', {}).then((us) => { setUsers(us); setUserId((id) => id || us[0]?.userId || ''); }); }, []);

  const submit = async () => {
    const r = await invoke('signIn', { userId, pin });
    setPin('');
    if (!r.ok) { setError(r.error.message); return; }
    const wasLocked = session?.locked && session.user?.userId === userId;
    setSession(r.value);
    if (!wasLocked && r.value.user) setScreen(SCREENS_BY_ROLE[r.value.user.role][0] ?? 'sell');
  };

  return (
    <form className="sign-in" data-testid="sign-in" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <h1>{session?.locked ? t('locked') : t('signIn')}</h1>
      <fieldset className="user-grid" aria-label={t('chooseUser')}>
        {users.map((u) => (
          <button type="button" key={u.userId} className={u.userId === userId ? 'active' : ''} aria-pressed={u.userId === userId}
            data-testid={`user-${u.userId}`} onClick={() => setUserId(u.userId)}>
            <strong>{u.name}</strong><small>{u.role}</small>
          </button>
        ))}
      </fieldset>
      <label>{t('pin')}
        <input type="password" inputMode="numeric" autoComplete="off" autoFocus value={pin} maxLength={8} data-testid="pin"
          onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
      </label>
      <ErrorNote error={error} />
      <button type="submit" className="primary big" disabled={!userId || pin.length < 4} data-testid="sign-in-submit">
        {session?.locked ? t('unlock') : t('signIn')}
      </button>
    </form>
  );
}
