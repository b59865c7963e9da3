/*
 * Child of crash.test.ts: sells (and now and then receives) in a tight loop
 * against a real file until the parent SIGKILLs it. After each commit it
 * prints the receipt number, so the parent can check that every sale it saw
 * acknowledged survived the kill.
 */
import { writeSync } from 'node:fs';
import { isDomainError } from '../../../src-shared/errors';
import { uuidv7 } from '../../../src-shared/ids';
import { openBranchStore } from '../../../src-main/store';

const [file, tenantId, warehouseId, deviceId, seedArg] = process.argv.slice(2);
if (!file || !tenantId || !warehouseId || !deviceId) throw new Error('usage: crash-child file tenant warehouse device seed');
let seed = Number(seedArg ?? 1) || 1;
const rand = (n: number) => {
  seed = (seed * 48271) % 2147483647;
  return seed % n;
};

// Modules are loaded by now; wait for the parent's word before touching the file
// (it may still be checking the file the previous child left).
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const store = openBranchStore({ file, tenantId, warehouseId, deviceId });
const products = store.stockList({ limit: 100 }).rows.map((r) => r.productId);
const pick = () => products[rand(products.length)] ?? '';
writeSync(1, 'ready\n');
for (;;) {
  if (rand(10) === 0) {
    store.receive({ opId: uuidv7(), actorId: 'crash', source: { kind: 'adhoc' }, lines: [{ productId: pick(), receivedQuantity: 1 + rand(20) }] });
    continue;
  }
  const lines = Array.from({ length: 1 + rand(3) }, () => ({ productId: pick(), quantity: 1 + rand(3) }));
  try {
    const r = store.sell({
      opId: uuidv7(), actorId: 'crash', lines, payments: [{ method: 'cash', currency: 'USD', amountMinor: 1_000_000 }],
      ...(rand(20) === 0 ? { override: { managerId: 'm', reason: 'in hand' } } : {}),
    });
    writeSync(1, `sale ${r.receiptNo}\n`);
  } catch (e) {
    if (!isDomainError(e) || e.code !== 'insufficient_stock') throw e;
  }
}
