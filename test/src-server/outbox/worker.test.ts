import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import type { Database } from '../../../src-server/db/database';
import { processOutboxOnce, startOutboxWorker } from '../../../src-server/outbox/worker';
import { pushOperations } from '../../../src-server/sync/push';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases';
import { opBuilder } from '../support/ops';
import { seedTenant } from '../support/seed';
import { levelOf } from '../support/state';

async function outboxRows(db: Database, tenantId: string) {
  const r = await db.withTenant(tenantId, (tx) => tx.query<{ kind: string; attempts: number; processed: boolean; failed: boolean; last_error: string | null; processed_by: string | null; next_in_ms: number }>(
    `SELECT kind, attempts, processed_at IS NOT NULL AS processed, failed_at IS NOT NULL AS failed, last_error, processed_by,
            (extract(epoch FROM next_attempt_at - now()) * 1000)::int AS next_in_ms FROM outbox ORDER BY id`));
  return r.rows;
}

describe.each(databaseKinds)('outbox worker (%s)', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase(kind); });
  afterAll(async () => { await t.drop(); });

  it('retries a failing event with growing backoff, records attempts, and gives up after the maximum', async () => {
    const s = await seedTenant(t.db);
    await t.db.withTenant(s.tenantId, (tx) => tx.query(`INSERT INTO outbox (tenant_id, kind, payload) VALUES ($1, 'no.such.kind', '{}')`, [s.tenantId]));
    const opts = { baseDelayMs: 0, maxAttempts: 3 };
    expect(await processOutboxOnce(t.db, opts)).toMatchObject({ retried: 1 });
    await processOutboxOnce(t.db, opts);
    expect(await processOutboxOnce(t.db, opts)).toMatchObject({ failed: 1 });
    expect(await processOutboxOnce(t.db, opts)).toEqual({ processed: 0, retried: 0, failed: 0 });
    const [row] = await outboxRows(t.db, s.tenantId);
    expect(row).toMatchObject({ attempts: 3, failed: true, processed: false });
    expect(row?.last_error).toMatch(/no handler/);

    await t.db.withTenant(s.tenantId, (tx) => tx.query(`INSERT INTO outbox (tenant_id, kind, payload) VALUES ($1, 'no.such.kind', '{}')`, [s.tenantId]));
    await processOutboxOnce(t.db, { baseDelayMs: 60_000 });
    const rows = await outboxRows(t.db, s.tenantId);
    expect(rows[1]?.next_in_ms).toBeGreaterThan(50_000);
    // Not due yet: a second pass leaves it alone.
    expect(await processOutboxOnce(t.db, { baseDelayMs: 60_000 })).toEqual({ processed: 0, retried: 0, failed: 0 });
  });

  it.runIf(kind === 'postgres')('two server processes on one database never apply an event twice', async () => {
    const s = await seedTenant(t.db, { stock: 1000, products: 3 });
    const src = opBuilder(s.tenantId, s.devices[0]!);
    const ops = Array.from({ length: 120 }, (_, i) => src.next('transfer_out', {
      transferId: uuidv7(), toWarehouseId: s.warehouseIds[1]!, lines: [{ productId: s.productIds[i % 3]!, quantity: 1 + (i % 4) }],
    }));
    const expected = new Map<string, number>();
    for (const op of ops) if (op.type === 'transfer_out') for (const l of op.payload.lines) expected.set(l.productId, (expected.get(l.productId) ?? 0) + l.quantity);
    await pushOperations(t.db, src.ctx, ops);
    const other = await t.openAnother(4);
    const a = startOutboxWorker(t.db, { workerId: 'server-a', batchSize: 5, intervalMs: 5 });
    const b = startOutboxWorker(other, { workerId: 'server-b', batchSize: 5, intervalMs: 5 });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await outboxRows(t.db, s.tenantId)).some((r) => !r.processed)) await new Promise((r) => setTimeout(r, 20));
    await Promise.all([a.stop(), b.stop()]);
    const rows = await outboxRows(t.db, s.tenantId);
    expect(rows).toHaveLength(120);
    expect(rows.filter((r) => !(r.processed && r.attempts === 1 && r.last_error === null)).slice(0, 3)).toEqual([]);
    expect(new Set(rows.map((r) => r.processed_by))).toEqual(new Set(['server-a', 'server-b']));
    for (const [productId, n] of expected) expect((await levelOf(t.db, s.tenantId, s.warehouseIds[1]!, productId))?.inTransit).toBe(n);
    const announces = await t.db.withTenant(s.tenantId, (tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM inventory_movements WHERE movement_type = 'transfer_announce'`));
    expect(announces.rows[0]?.n).toBe(120);
  });
});
