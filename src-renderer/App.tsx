import { useEffect, useState } from 'react';
import { NavBar } from './components/NavBar';
import { StatusBar } from './components/StatusBar';
import { useLocale } from './i18n/locale-store';
import { AdjustCountScreen } from './screens/AdjustCountScreen';
import { OrdersScreen } from './screens/OrdersScreen';
import { ReceiveScreen } from './screens/ReceiveScreen';
import { ReturnsScreen } from './screens/ReturnsScreen';
import { SignInScreen } from './screens/SignInScreen';
import { StockScreen } from './screens/StockScreen';
import { TransfersScreen } from './screens/TransfersScreen';
import { SellScreen } from './screens/sell/SellScreen';
import { SCREENS_BY_ROLE, useApp, type Screen } from './state/app-store';

const SCREENS: Record<Screen, () => React.JSX.Element> = {
  sell: SellScreen, returns: ReturnsScreen, orders: OrdersScreen, receive: ReceiveScreen,
  adjust: AdjustCountScreen, transfers: TransfersScreen, stock: StockScreen,
};

export function App() {
  const lang = useLocale((s) => s.lang);
  const session = useApp((s) => s.session);
  const screen = useApp((s) => s.screen);
  const setScreen = useApp((s) => s.setScreen);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    let stop: (() => void) | undefined;
    useApp.getState().start().then((s) => { stop = s; }, (e: unknown) => setFailed(e instanceof Error ? e.message : String(e)));
    return () => stop?.();
  }, []);

  // The whole document flips for Arabic, so every logical CSS property follows.
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
  }, [lang]);

  const role = session?.user?.role;
  useEffect(() => {
    if (!role) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey) return;
      const target = SCREENS_BY_ROLE[role][Number(e.key) - 1];
      if (target) { e.preventDefault(); setScreen(target); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [role, setScreen]);

  const allowed = role ? SCREENS_BY_ROLE[role] : [];
  const Current = SCREENS[allowed.includes(screen) ? screen : (allowed[0] ?? 'sell')];
  return (
    <div className="app" data-testid="app">
      <NavBar />
      <main className="content">
        {failed && <p role="alert">{failed}</p>}
        {!session ? null : !session.user || session.locked ? <SignInScreen /> : <Current />}
      </main>
      <StatusBar />
    </div>
  );
}
