import { canonicalJson } from '../../src-shared/operations';
import type { SyncStatus } from '../../src-shared/sync';

/*
 * The sync status the screens show, published only when it changes: the
 * engine recomputes it after every step, and the renderer should not repaint
 * (or IPC carry) an identical object several times a second.
 */

export type StatusListener = (status: SyncStatus) => void;

export interface StatusPublisher {
  readonly current: SyncStatus;
  /** Merge a change in; listeners hear about it only if something differs. */
  update(change: Partial<SyncStatus>): void;
  subscribe(listener: StatusListener): () => void;
}

export const INITIAL_STATUS: SyncStatus = {
  state: 'not_enrolled',
  pendingOps: 0,
  oldestPendingAgeMs: null,
  lastSyncAt: null,
  openFollowUps: 0,
  openDiscrepancies: 0,
  progress: null,
  lastError: null,
};

export function createStatusPublisher(initial: SyncStatus = INITIAL_STATUS): StatusPublisher {
  let current = initial;
  let key = canonicalJson(current);
  const listeners = new Set<StatusListener>();
  return {
    get current() {
      return current;
    },
    update(change) {
      const next = { ...current, ...change };
      const nextKey = canonicalJson(next);
      if (nextKey === key) return;
      current = next;
      key = nextKey;
      for (const l of listeners) {
        // A screen's broken listener must not stop the others or the sync loop.
        try {
          l(current);
        } catch {
          /* the listener's own fault; sync goes on */
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
