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
    // An event that arrives while the first answers are on their way is newer
    // than they are: those answers must not overwrite it (a sync that ended in
    // between would otherwise show as still running until the next change).
    let eventSession = false;
    let eventSync = false;
    const offs = [
      onEvent('session', (session) => { eventSession = true; set({ session }); }),
      onEvent('syncStatus', (sync) => { eventSync = true; set({ sync }); }),
      onEvent('stockChanged', () => set({ stockVersion: get().stockVersion + 1 })),
    ];
    const [session, till, sync] = await Promise.all([call('whoAmI', {}), call('tillInfo', {}), call('syncStatus', {})]);
    set({ till, ...(eventSession ? {} : { session }), ...(eventSync ? {} : { sync }) });
    return () => { for (const off of offs) off(); };
  },
}));

/** Screens each role works in; the first is where they land after sign-in. */
export const SCREENS_BY_ROLE: Record<'cashier' | 'clerk' | 'manager', Screen[]> = {
  cashier: ['sell', 'returns', 'orders'],
  clerk: ['receive', 'adjust', 'transfers', 'stock'],
  manager: ['sell', 'returns', 'orders', 'receive', 'adjust', 'transfers', 'stock'],
};
