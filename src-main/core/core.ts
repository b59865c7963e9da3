import { BranchApi, type BranchEvent, type BranchEventName, type BranchMethod, type BranchOutput, type BranchResult, isBranchMethod, type UserSummary } from '../../src-shared/branch-api';
import { DomainError, isDomainError, parseOrThrow, type ErrorBody } from '../../src-shared/errors';
import { createHandlers, type HandlerDeps, type Handlers } from './handlers';
import { PERMISSIONS } from './permissions';

/*
 * The branch core as every host sees it: `call(method, untrustedInput)` and a
 * stream of events. The hosts (Electron IPC, the web host) add transport only;
 * validation, sign-in, roles and error shaping happen here, once.
 */
export type EventListener = <E extends BranchEventName>(event: E, payload: BranchEvent<E>) => void;

export interface BranchCore {
  call<M extends BranchMethod>(method: M, input: unknown): Promise<BranchResult<BranchOutput<M>>>;
  /** For hosts that receive a method name from outside: unknown names are refused with `not_found`. */
  callByName(method: string, input: unknown): Promise<BranchResult<unknown>>;
  subscribe(listener: EventListener): () => void;
}

export interface CoreLogger { error(message: string, err: unknown): void }

function toErrorBody(e: unknown, log: CoreLogger | undefined, method: string): ErrorBody {
  if (isDomainError(e)) return e.toBody();
  // Anything else is a bug or a fault of the disk: say so without leaking internals to the screen.
  log?.error(`branch core: ${method} failed`, e);
  return { code: 'internal', message: `${method} failed unexpectedly; nothing was recorded if it was an operation` };
}

export function createBranchCore(deps: Omit<HandlerDeps, 'onStockChanged'> & { log?: CoreLogger }): BranchCore {
  const listeners = new Set<EventListener>();
  const emit: EventListener = (event, payload) => { for (const l of listeners) l(event, payload); };
  const handlers: Handlers = createHandlers({
    ...deps,
    // After the answer has gone out: the till should not wait for the status bar's counters.
    onStockChanged: (productIds) => {
      setTimeout(() => {
        emit('stockChanged', { productIds });
        deps.sync.refresh();
      }, 0);
    },
  });
  deps.session.onChange((s) => emit('session', s));
  // A pull that completed may have moved any level (central's adjustments, other tills, other branches): screens reload.
  let lastSyncAt = deps.sync.status().lastSyncAt;
  deps.sync.onChange((s) => {
    emit('syncStatus', s);
    if (s.lastSyncAt !== lastSyncAt) {
      lastSyncAt = s.lastSyncAt;
      emit('stockChanged', { productIds: [] });
    }
  });

  async function call<M extends BranchMethod>(method: M, raw: unknown): Promise<BranchResult<BranchOutput<M>>> {
    const spec = BranchApi[method];
    let value: unknown;
    try {
      const input = parseOrThrow(spec.input, raw ?? {}, `${method} input`);
      const allowed = PERMISSIONS[method];
      let actor: UserSummary | null = null;
      if (allowed !== 'open') {
        actor = deps.session.require();
        if (!allowed.includes(actor.role)) {
          throw new DomainError('forbidden', `a ${actor.role} may not ${method}`, { role: actor.role, method });
        }
      }
      const handler = handlers[method] as (i: unknown, ctx: { actor: UserSummary | null }) => unknown;
      value = await handler(input, { actor });
    } catch (e) {
      return { ok: false, error: toErrorBody(e, deps.log, method) };
    }
    // The output is checked too: a store that drifts from the contract fails loudly here, not in a screen.
    const out = spec.output.safeParse(value);
    if (!out.success) {
      deps.log?.error(`branch core: ${method} returned a result outside the contract`, out.error);
      return { ok: false, error: { code: 'internal', message: `${method} returned a malformed result` } };
    }
    return { ok: true, value: out.data as BranchOutput<M> };
  }

  return {
    call,
    callByName(method, input) {
      if (!isBranchMethod(method)) {
        return Promise.resolve({ ok: false, error: { code: 'not_found', message: `no such method: ${method}` } });
      }
      return call(method, input);
    },
    subscribe(l) { listeners.add(l); return () => listeners.delete(l); },
  };
}
