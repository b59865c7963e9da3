import { create } from 'zustand';
import type { SessionState, TillInfo } from '../../src-shared/branch-api';
import type { SyncStatus } from '../../src-shared/sync';
import { call, onEvent } from '../transport/transport';

export type Screen = 'sell' | 'returns' | 'orders' | 'receive' | 'adjust' | 'transfers' | 'stock';

interface AppState {
  session: SessionState | null;
  till: TillInfo | null;
  sync: SyncStatus | null;
  screen: Screen;
  /** Bumped on every `stockChanged` event: lists that show stock reload when it moves. */
  stockVersion: number;
  setScreen(s: Screen): void;
  setSession(s: SessionState): void;
  /** Loads the session, the till's facts and the sync status, and follows their events. */
  start(): Promise<() => void>;
}

export const useApp = create<AppState>((set, get) => ({
  session: null,
  till: null,
  sync: null,
  screen: 'sell',
  stockVersion: 0,
  setScreen: (screen) => set({ screen }),
  setSession: (session) => set({ session }),
  async start() {
    const offs = [
      onEvent('session', (session) => set({ session })),
      onEvent('syncStatus', (sync) => set({ sync })),
      onEvent('stockChanged', () => set({ stockVersion: get().stockVersion + 1 })),
    ];
    const [session, till, sync] = await Promise.all([call('whoAmI', {}), call('tillInfo', {}), call('syncStatus', {})]);
    set({ session, till, sync });
    return () => { for (const off of offs) off(); };
  },
}));

/** Screens each role works in; the first is where they land after sign-in. */
export const SCREENS_BY_ROLE: Record<'cashier' | 'clerk' | 'manager', Screen[]> = {
  cashier: ['sell', 'returns', 'orders'],
  clerk: ['receive', 'adjust', 'transfers', 'stock'],
  manager: ['sell', 'returns', 'orders', 'receive', 'adjust', 'transfers', 'stock'],
};
