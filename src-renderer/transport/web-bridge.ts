import type { BranchBridge, BranchEventName, BranchMethod, BranchResult } from '../../src-shared/branch-api';

/*
 * The contract over the local web host: POST /api/<method>, events by
 * Server-Sent Events. The host set an HttpOnly cookie when the page was opened
 * with the printed `?token=`, so requests here carry it without the page ever
 * holding the secret.
 */
export function createWebBridge(origin: string): BranchBridge {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  let source: EventSource | null = null;

  const ensureSource = () => {
    if (source) return;
    source = new EventSource(`${origin}/api/events`);
    for (const [event] of listeners) attach(event);
  };
  const attached = new Set<string>();
  const attach = (event: string) => {
    if (!source || attached.has(event)) return;
    attached.add(event);
    source.addEventListener(event, (m: MessageEvent<string>) => {
      const payload = JSON.parse(m.data) as never;
      for (const l of listeners.get(event) ?? []) l(payload);
    });
  };

  return {
    async invoke(method: BranchMethod, input: unknown): Promise<BranchResult<never>> {
      try {
        const res = await fetch(`${origin}/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
        });
        if (res.status === 401) return { ok: false, error: { code: 'unauthorized', message: 'open the till with the link printed at start' } };
        return (await res.json()) as BranchResult<never>;
      } catch {
        return { ok: false, error: { code: 'unavailable', message: 'the till process is not answering' } };
      }
    },
    on(event: BranchEventName, listener: (payload: never) => void) {
      let set = listeners.get(event);
      if (!set) { set = new Set(); listeners.set(event, set); }
      set.add(listener);
      ensureSource();
      attach(event);
      return () => { set.delete(listener); };
    },
  } as BranchBridge;
}
