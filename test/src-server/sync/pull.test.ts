import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src-shared/ids';
import { PullResponse } from '../../../src-shared/sync';
import { processOutboxOnce } from '../../../src-server/outbox/worker';
import { pullChanges } from '../../../src-server/sync/pull';
import { pushOperations } from '../../../src-server/sync/push';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases';
import { deviceContext, opBuilder } from '../support/ops';
import { seedTenant } from '../support/seed';

/*
 * The watermark is the snapshot's xmin, which any transaction in the cluster
 * (another test's database too) can hold back; rows are then sent again, never
 * skipped. Tests that expect "nothing new" first pull until a page is empty.
 */
async function drained(db: Parameters<typeof pullChanges>[0], ctx: Parameters<typeof pullChanges>[1], cursor?: string): Promise<string> {
  let c = cursor;
  for (let i = 0; i < 40; i += 1) {
    const r = await pullChanges(db, ctx, c);
    const n = r.levels.length + r.products.length + r.warehouses.length + r.reservations.length + r.transfers.length + r.followUps.length + r.discrepancies.length;
    if (n === 0 && !r.hasMore) return r.cursor;
    c = r.cursor;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('pull never drained');
}

describe.each(databaseKinds)('pull (%s)', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase(kind); });
  afterAll(async () => { await t.drop(); });

  it('a first pull sends the catalog, the warehouses and the levels of every warehouse of the tenant, and nothing of another tenant', async () => {
    const s = await seedTenant(t.db, { warehouses: 3, products: 4 });
    await seedTenant(t.db);
    const r = PullResponse.parse(await pullChanges(t.db, deviceContext(s.tenantId, s.devices[0]!)));
    expect(r.hasMore).toBe(false);
    expect(r.lastAppliedSeq).toBe(0);
    expect(r.warehouses.map((w) => w.id).sort()).toEqual([...s.warehouseIds].sort());
    expect(r.products.map((p) => p.id).sort()).toEqual([...s.productIds].sort());
    expect(r.levels).toHaveLength(12);
    expect(r.products[0]).toMatchObject({ priceMinor: 250, currency: 'USD', taxClass: 'standard', active: true });
    // Converges: what was sent is not sent again once the watermark passes it.
    await drained(t.db, deviceContext(s.tenantId, s.devices[0]!), r.cursor);
  });

  it('after a push it sends only what changed, with the last applied seq, the device\'s reservation outcomes and follow-ups', async () => {
    const s = await seedTenant(t.db, { stock: 2 });
    const ctx = deviceContext(s.tenantId, s.devices[0]!);
    const cursor = await drained(t.db, ctx);
    const b = opBuilder(s.tenantId, s.devices[0]!);
    const held = uuidv7();
    const refused = uuidv7();
    await pushOperations(t.db, ctx, [
      b.reserve([{ productId: s.productIds[0]!, quantity: 2 }], held),
      b.reserve([{ productId: s.productIds[0]!, quantity: 1 }], refused),
      b.sale([{ productId: s.productIds[1]!, quantity: 3 }]),
    ]);
    // Another device's reservation at another warehouse is not this device's business.
    const other = opBuilder(s.tenantId, s.devices[1]!);
    await pushOperations(t.db, other.ctx, [other.reserve([{ productId: s.productIds[2]!, quantity: 1 }])]);
    const r = PullResponse.parse(await pullChanges(t.db, ctx, cursor));
    expect(r.lastAppliedSeq).toBe(3);
    expect(r.products).toEqual([]);
    expect(r.levels.map((l) => [l.warehouseId, l.productId, l.quantity, l.reserved]).sort()).toEqual([
      [s.warehouseIds[0], s.productIds[0], 2, 2],
      [s.warehouseIds[0], s.productIds[1], -1, 0],
      [s.warehouseIds[1], s.productIds[2], 2, 1],
    ].sort());
    expect(r.reservations.map((x) => [x.reservationId, x.status]).sort()).toEqual([[held, 'held'], [refused, 'refused']].sort());
    expect(r.followUps.map((f) => f.reservationId)).toEqual([refused]);
    expect(r.discrepancies.map((d) => d.kind)).toEqual(['negative_stock']);
  });

  it('inbound transfers appear at the destination once the outbox announced them', async () => {
    const s = await seedTenant(t.db);
    const src = opBuilder(s.tenantId, s.devices[0]!);
    const dst = deviceContext(s.tenantId, s.devices[1]!);
    const { cursor } = await pullChanges(t.db, dst);
    const id = uuidv7();
    await pushOperations(t.db, src.ctx, [src.next('transfer_out', { transferId: id, toWarehouseId: s.warehouseIds[1]!, lines: [{ productId: s.productIds[0]!, quantity: 2 }] })]);
    expect((await pullChanges(t.db, dst, cursor)).transfers).toEqual([]);
    await processOutboxOnce(t.db);
    const r = await pullChanges(t.db, dst, cursor);
    expect(r.transfers).toEqual([expect.objectContaining({ transferId: id, status: 'in_transit', lines: [{ productId: s.productIds[0], dispatched: 2, received: 0 }] })]);
    const fromSource = await pullChanges(t.db, src.ctx, cursor);
    expect(fromSource.transfers.map((x) => x.transferId)).toEqual([id]);
  });

  it('pages: small pages deliver exactly what one big page does', async () => {
    const s = await seedTenant(t.db, { warehouses: 3, products: 7 });
    const ctx = deviceContext(s.tenantId, s.devices[0]!);
    const whole = await pullChanges(t.db, ctx, undefined, 1000);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    let last = whole;
    do {
      last = await pullChanges(t.db, ctx, cursor, 4);
      expect(last.levels.length + last.products.length + last.warehouses.length).toBeLessThanOrEqual(4);
      seen.push(...last.levels.map((l) => `${l.warehouseId}/${l.productId}`), ...last.products.map((p) => p.id), ...last.warehouses.map((w) => w.id));
      cursor = last.cursor;
      pages += 1;
    } while (last.hasMore && pages < 50);
    expect(pages).toBeGreaterThan(5);
    expect(seen.sort()).toEqual([...whole.levels.map((l) => `${l.warehouseId}/${l.productId}`), ...whole.products.map((p) => p.id), ...whole.warehouses.map((w) => w.id)].sort());
    await drained(t.db, ctx, cursor);
  });

  it('refuses a malformed cursor as bad input', async () => {
    const s = await seedTenant(t.db);
    await expect(pullChanges(t.db, deviceContext(s.tenantId, s.devices[0]!), 'not-a-cursor')).rejects.toMatchObject({ code: 'validation' });
  });

  it.runIf(kind === 'postgres')('never skips a change committed late by a transaction that started before the pull', async () => {
    const s = await seedTenant(t.db);
    const ctx = deviceContext(s.tenantId, s.devices[0]!);
    const cursor = await drained(t.db, ctx);
    const other = await t.openAnother(2);
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let written!: () => void;
    const wrote = new Promise<void>((r) => { written = r; });
    const slow = other.withTenant(s.tenantId, async (tx) => {
      await tx.query(`UPDATE products SET price_minor = 999 WHERE id = $1`, [s.productIds[0]]);
      written();
      await gate;
    });
    await wrote;
    await t.db.withTenant(s.tenantId, (tx) => tx.query(`UPDATE products SET price_minor = 111 WHERE id = $1`, [s.productIds[1]]));
    const first = await pullChanges(t.db, ctx, cursor);
    expect(first.products.map((p) => p.priceMinor)).toEqual([111]);
    release();
    await slow;
    const second = await pullChanges(t.db, ctx, first.cursor);
    expect(second.products.map((p) => p.priceMinor)).toContain(999);
  });
});
