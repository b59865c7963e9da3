import { openBranchStore } from '../../../src-main/store';
import { createSyncEngine } from '../../../src-main/sync/engine';
import { createFileVault } from '../../../src-main/sync/vault';

/*
 * A branch process for the crash test: opens the store file and drains the
 * outbox in small batches until told nothing (the parent kills it with
 * SIGKILL at a moment of its choosing, or lets it finish).
 */
const env = (k: string): string => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} missing`);
  return v;
};
const store = openBranchStore({ file: env('BP_FILE'), tenantId: env('BP_TENANT'), warehouseId: env('BP_WAREHOUSE'), deviceId: env('BP_DEVICE') });
const engine = createSyncEngine({ store, vault: createFileVault(env('BP_VAULT')), pushBatch: Number(env('BP_BATCH')), backoff: { baseMs: 5, capMs: 20 } });
process.stdout.write('ready\n');
for (let i = 0; i < 1000 && store.sync.counters().pendingOps > 0; i += 1) await engine.syncNow();
await engine.syncNow();
await store.close();
process.stdout.write('drained\n');
