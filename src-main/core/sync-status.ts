import { DomainError } from '../../src-shared/errors';
import type { SyncStatus } from '../../src-shared/sync';
import type { StoreExtras } from './store-port';

/*
 * The sync status the status bar shows. The store knows what is pending and
 * what is open; the link state and drain progress belong to the sync engine
 * (src-main/sync), attached by openTill when the till is enrolled with
 * central. Without an engine the till is honestly `not_enrolled`: it sells
 * and queues, and says it has never synced.
 */
export interface SyncEngineState {
  state: SyncStatus['state'];
  progress: SyncStatus['progress'];
  lastError: SyncStatus['lastError'];
}

/** What the status source needs of the sync engine: a run on demand, and a hint that something was queued. */
export interface SyncEngineLink {
  syncNow(): Promise<unknown>;
  nudge(): void;
}

export interface SyncStatusSource {
  status(): SyncStatus;
  /** The sync engine reports a change of link state or progress. */
  setEngineState(s: SyncEngineState): void;
  onChange(listener: (s: SyncStatus) => void): () => void;
  /** Something local changed the counters (a sale queued an op): tell listeners, and let the engine send it soon. */
  refresh(): void;
  /** Runs a sync now; refused on a till that is not enrolled. */
  syncNow(): Promise<void>;
}

export function createSyncStatusSource(extras: Pick<StoreExtras, 'syncCounters'>, engineLink: SyncEngineLink | null = null): SyncStatusSource {
  let engine: SyncEngineState = { state: 'not_enrolled', progress: null, lastError: null };
  const listeners = new Set<(s: SyncStatus) => void>();
  const status = (): SyncStatus => ({ ...extras.syncCounters(), ...engine });
  const emit = () => {
    if (listeners.size === 0) return;
    const s = status();
    for (const l of listeners) l(s);
  };
  return {
    status,
    setEngineState(s) { engine = s; emit(); },
    onChange(l) { listeners.add(l); return () => listeners.delete(l); },
    refresh() {
      engineLink?.nudge();
      emit();
    },
    async syncNow() {
      if (!engineLink) throw new DomainError('invalid_state', 'this till is not enrolled with central, so there is nothing to sync with');
      await engineLink.syncNow();
      emit();
    },
  };
}
