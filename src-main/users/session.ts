import { DomainError } from '../../src-shared/errors';
import type { SessionState, UserSummary } from '../../src-shared/branch-api';

/*
 * Who is at this till. One till, one person at a time: the session belongs to
 * the core, not to a window or a browser tab, so every host sees the same
 * signed-in user. Idle for `idleLockMs` and it locks; the same user's PIN (or a
 * manager's) unlocks without losing the screen's work.
 */
export interface Session {
  state(now?: number): SessionState;
  signIn(user: UserSummary, now?: number): SessionState;
  signOut(): SessionState;
  lock(): SessionState;
  /** The signed-in, unlocked user, refreshing the idle timer; `unauthorized` otherwise. */
  require(now?: number): UserSummary;
  onChange(listener: (s: SessionState) => void): () => void;
}

export const DEFAULT_IDLE_LOCK_MS = 5 * 60_000;

export function createSession(idleLockMs = DEFAULT_IDLE_LOCK_MS): Session {
  let user: UserSummary | null = null;
  let locked = false;
  let lastActivity = 0;
  const listeners = new Set<(s: SessionState) => void>();

  let timer: ReturnType<typeof setTimeout> | undefined;

  const snapshot = (): SessionState => ({ user, locked, idleLockMs });
  const emit = () => { const s = snapshot(); for (const l of listeners) l(s); };
  const expire = (now: number) => {
    if (user && !locked && now - lastActivity > idleLockMs) { locked = true; emit(); }
  };
  // Lock on time, not only on the next call, so the screen goes to the PIN pad while nobody touches it.
  const arm = () => {
    clearTimeout(timer);
    if (!user || locked) return;
    timer = setTimeout(() => { expire(Date.now()); arm(); }, Math.max(1000, lastActivity + idleLockMs - Date.now() + 50));
    timer.unref?.();
  };

  return {
    state(now = Date.now()) { expire(now); return snapshot(); },
    signIn(u, now = Date.now()) {
      // A locked till reopens for the same user or a manager; anyone else signs the first out.
      user = u; locked = false; lastActivity = now; emit(); arm();
      return snapshot();
    },
    signOut() { user = null; locked = false; clearTimeout(timer); emit(); return snapshot(); },
    lock() { if (user) { locked = true; clearTimeout(timer); emit(); } return snapshot(); },
    require(now = Date.now()) {
      expire(now);
      if (!user) throw new DomainError('unauthorized', 'sign in first');
      if (locked) throw new DomainError('unauthorized', 'the till is locked: enter your PIN', { locked: true });
      if (now - lastActivity > 1000) { lastActivity = now; arm(); } else lastActivity = now;
      return user;
    },
    onChange(l) { listeners.add(l); return () => listeners.delete(l); },
  };
}
