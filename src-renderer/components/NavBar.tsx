import type { MessageKey } from '../i18n/messages';
import { useLocale, useT } from '../i18n/locale-store';
import { SCREENS_BY_ROLE, useApp, type Screen } from '../state/app-store';
import { call } from '../transport/transport';

const LABEL: Record<Screen, MessageKey> = {
  sell: 'sell', returns: 'returns', orders: 'orders', receive: 'receive', adjust: 'adjust', transfers: 'transfers', stock: 'stock',
};

export function NavBar() {
  const t = useT();
  const { lang, setLang } = useLocale();
  const session = useApp((s) => s.session);
  const screen = useApp((s) => s.screen);
  const setScreen = useApp((s) => s.setScreen);
  const setSession = useApp((s) => s.setSession);
  const user = session?.user;
  const screens = user ? SCREENS_BY_ROLE[user.role] : [];
  return (
    <nav className="nav-bar">
      <strong className="brand">{t('appName')}</strong>
      <div className="nav-screens" role="tablist">
        {screens.map((s, i) => (
          <button key={s} role="tab" aria-selected={s === screen} className={s === screen ? 'active' : ''}
            title={`Alt+${i + 1}`} data-testid={`nav-${s}`} onClick={() => setScreen(s)}>{t(LABEL[s])}</button>
        ))}
      </div>
      <div className="nav-user">
        {user && <span data-testid="signed-in-user">{user.name} · {user.role}</span>}
        <button onClick={() => setLang(lang === 'en' ? 'ar' : 'en')} data-testid="toggle-lang">{t('language')}</button>
        {user && <button onClick={() => { void call('lock', {}).then(setSession); }}>{t('lock')}</button>}
        {user && <button onClick={() => { void call('signOut', {}).then(setSession); }}>{t('signOut')}</button>}
      </div>
    </nav>
  );
}
