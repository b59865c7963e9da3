import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBranchStore } from '../../../src-main/store';
import { uuidv7 } from '../../../src-shared/ids';

/* A process whose last work is closing the store: it must get to say so. */
const dir = mkdtempSync(join(tmpdir(), 'bp-close-'));
const store = openBranchStore({ file: join(dir, 'branch.sqlite'), tenantId: uuidv7(), warehouseId: uuidv7(), deviceId: uuidv7() });
await store.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write('closed\n');
