/*
 * Whether central can be reached, learnt mostly for free from the outcomes of
 * real sync requests, plus a light probe (GET /healthz) when nothing else has
 * spoken to central for a while. Nobody presses "go online": when a probe
 * finds central again, `onOnline` fires and the engine drains its backlog.
 */

export type Reachability = 'unknown' | 'online' | 'offline';

export interface ConnectivityOptions {
  probe: () => Promise<boolean>;
  /** Probe when no request has reached (or failed to reach) central for this long. */
  intervalMs?: number;
  onChange?: (state: Reachability) => void;
  /** Fired on every transition to online (from offline or unknown). */
  onOnline?: () => void;
  now?: () => number;
}

export interface Connectivity {
  readonly state: Reachability;
  /** Feed the outcome of any request to central. */
  report(reached: boolean): void;
  /** Probe now, unless a probe is already out. */
  check(): Promise<Reachability>;
  start(): void;
  stop(): void;
}

export function createConnectivity(opts: ConnectivityOptions): Connectivity {
  const intervalMs = opts.intervalMs ?? 15_000;
  const now = opts.now ?? Date.now;
  let state: Reachability = 'unknown';
  let lastHeard = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  let probing: Promise<Reachability> | null = null;

  function report(reached: boolean): void {
    lastHeard = now();
    const next: Reachability = reached ? 'online' : 'offline';
    if (next === state) return;
    state = next;
    opts.onChange?.(state);
    if (state === 'online') opts.onOnline?.();
  }

  function check(): Promise<Reachability> {
    probing ??= opts.probe()
      .catch(() => false)
      .then((ok) => {
        report(ok);
        return state;
      })
      .finally(() => {
        probing = null;
      });
    return probing;
  }

  return {
    get state() {
      return state;
    },
    report,
    check,
    start() {
      if (timer) return;
      // Tick at a fraction of the interval so a quiet link is probed about on time.
      timer = setInterval(() => {
        if (now() - lastHeard >= intervalMs) void check();
      }, Math.max(50, Math.floor(intervalMs / 4)));
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
