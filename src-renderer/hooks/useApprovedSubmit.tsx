import { useState, type ReactNode } from 'react';
import type { BranchResult, ManagerApproval as Approval } from '../../src-shared/branch-api';
import { ManagerApproval } from '../components/ManagerApproval';

function needsApproval(details: unknown): boolean {
  return typeof details === 'object' && details !== null && 'approvalRequired' in details && details.approvalRequired === true;
}

/**
 * Sends an operation; when the core answers that a manager must approve it
 * (above a threshold), asks for the manager's PIN and sends it again with the
 * approval. The threshold lives in the core, not here.
 */
export function useApprovedSubmit<T>(onDone: (value: T) => void, onError: (message: string) => void) {
  const [pending, setPending] = useState<{ message: string; send: (a?: Approval) => Promise<BranchResult<T>> } | null>(null);
  const [busy, setBusy] = useState(false);

  const handle = (r: BranchResult<T>, send: (a?: Approval) => Promise<BranchResult<T>>) => {
    if (r.ok) { setPending(null); onDone(r.value); return; }
    if (r.error.code === 'forbidden' && needsApproval(r.error.details)) { setPending({ message: r.error.message, send }); return; }
    setPending(null);
    onError(r.error.message);
  };

  const submit = async (send: (approval?: Approval) => Promise<BranchResult<T>>) => {
    setBusy(true);
    try { handle(await send(), send); } finally { setBusy(false); }
  };

  const dialog: ReactNode = pending && (
    <ManagerApproval message={pending.message}
      onApprove={(approval) => { const p = pending; setBusy(true); void p.send(approval).then((r) => handle(r, p.send)).finally(() => setBusy(false)); }}
      onCancel={() => setPending(null)} />
  );
  return { submit, dialog, busy };
}
