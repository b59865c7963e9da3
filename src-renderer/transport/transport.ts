import type { BranchBridge, BranchEvent, BranchEventName, BranchInput, BranchMethod, BranchOutput, BranchResult } from '../../src-shared/branch-api';
import { createWebBridge } from './web-bridge';

/*
 * The screens' one way to the branch core: Electron's preload bridge when the
 * app runs in Electron, the local web host otherwise. Both speak the same
 * contract, so no screen knows which one it is talking to.
 */
declare global {
  interface Window { branch?: BranchBridge }
}

let bridge: BranchBridge | null = null;

export function getBridge(): BranchBridge {
  if (!bridge) bridge = window.branch ?? createWebBridge(window.location.origin);
  return bridge;
}

/** For tests: talk to a given bridge. */
export function setBridge(b: BranchBridge): void {
  bridge = b;
}

export function invoke<M extends BranchMethod>(method: M, input: BranchInput<M>): Promise<BranchResult<BranchOutput<M>>> {
  return getBridge().invoke(method, input);
}

/** The value, or throws the typed refusal (as a BranchError) for screens that prefer try/catch. */
export async function call<M extends BranchMethod>(method: M, input: BranchInput<M>): Promise<BranchOutput<M>> {
  const r = await invoke(method, input);
  if (!r.ok) throw new BranchError(r.error.code, r.error.message, r.error.details);
  return r.value;
}

export function onEvent<E extends BranchEventName>(event: E, listener: (payload: BranchEvent<E>) => void): () => void {
  return getBridge().on(event, listener);
}

export class BranchError extends Error {
  constructor(readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'BranchError';
  }
}
