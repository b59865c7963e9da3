import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../../src-shared/errors';
import { uuidv7 } from '../../../src-shared/ids';
import type { Operation } from '../../../src-shared/operations';
import { pushOperations } from '../../../src-server/sync/push';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases';
import { opBuilder } from '../support/ops';
import { seedTenant } from '../support/seed';
import { countRows, levelOf, levelsOf, movementsMatchLevels } from '../support/state';

async function domainCode(p: Promise<unknown>): Promise<{ code: string; details: unknown }> {
  try {
    await p;
  } catch (e) {
    if (isDomainError(e)) return { code: e.code, details: e.details };
    throw e;
  }
  throw new Error('expected a refusal');
}

function shuffle<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe.each(databaseKinds)('push (%s)', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase(kind); });
  afterAll(async () => { await t.drop(); });

  it('R1: applies in seq order, advances the seq, stores each result; a resent seq returns it and changes nothing', async () => {
    const s = await seedTenant(t.db);
    const b = opBuilder(s.tenantId, s.devices[1]!);
    const p = s.productIds[0]!;
    const ops = [b.sale([{ productId: p, quantity: 2 }]), b.sale([{ productId: p, quantity: 3 }])];
    const first = await pushOperations(t.db, b.ctx, [...ops].reverse());
    expect(first.lastAppliedSeq).toBe(2);
    expect(first.results.map((r) => [r.seq, r.status])).toEqual([[1, 'applied'], [2, 'applied']]);
    const again = await pushOperations(t.db, b.ctx, ops);
    expect(again.results).toEqual(first.results);
    expect((await levelOf(t.db, s.tenantId, s.warehouseIds[1]!, p))?.quantity).toBe(5);
    expect(await countRows(t.db, s.tenantId, 'applied_ops')).toBe(2);
    expect(await movementsMatchLevels(t.db, s.tenantId)).toBe(true);
  });

  it('R1: every op of a batch sent five times in shuffled batches leaves the state of one delivery', async () => {
    const once = await seedTenant(t.db, { products: 4 });
    const many = await seedTenant(t.db, { products: 4 });
    const build = (tenantId: string, productIds: string[], device: typeof once.devices[number], to: string): Operation[] => {
      const b = opBuilder(tenantId, device);
      const [p1, p2, p3] = productIds as [string, string, string];
      const rid = uuidv7();
      return [
        b.sale([{ productId: p1, quantity: 4 }, { productId: p2, quantity: 1 }]),
        b.reserve([{ productId: p2, quantity: 5 }], rid),
        b.reserve([{ productId: p1, quantity: 50 }]),
        b.next('receive', { receiptId: uuidv7(), source: { kind: 'adhoc' }, lines: [{ productId: p3, receivedQuantity: 7 }] }),
        b.next('adjust', { adjustmentId: uuidv7(), reason: 'damaged', lines: [{ productId: p3, quantityDelta: -2 }] }),
        b.next('fulfil', { reservationId: rid, saleId: uuidv7() }),
        b.next('count', { countId: uuidv7(), lines: [{ productId: p1, counted: 3, expected: 6 }] }),
        b.next('transfer_out', { transferId: uuidv7(), toWarehouseId: to, lines: [{ productId: p3, quantity: 1 }] }),
      ];
    };
    const a = build(once.tenantId, once.productIds, once.devices[1]!, once.warehouseIds[0]!);
    const m = build(many.tenantId, many.productIds, many.devices[1]!, many.warehouseIds[0]!);
    const ctxA = { tenantId: once.tenantId, warehouseId: once.warehouseIds[1]!, deviceId: once.devices[1]!.deviceId };
    const ctxM = { tenantId: many.tenantId, warehouseId: many.warehouseIds[1]!, deviceId: many.devices[1]!.deviceId };
    await pushOperations(t.db, ctxA, a);
    // Five deliveries, each shuffled and split into two batches; the first batch always starts a valid prefix.
    for (let round = 0; round < 5; round += 1) {
      const mixed = shuffle(m, round + 1);
      await pushOperations(t.db, ctxM, mixed);
      await pushOperations(t.db, ctxM, shuffle(mixed.slice(0, 4), round + 7).concat(m.slice(0, 1)));
    }
    const strip = (rows: Awaited<ReturnType<typeof levelsOf>>, ws: string[], ps: string[]) =>
      rows.map((r) => ({ w: ws.indexOf(r.warehouseId), p: ps.indexOf(r.productId), q: r.quantity, r: r.reserved, t: r.inTransit }));
    expect(strip(await levelsOf(t.db, many.tenantId), many.warehouseIds, many.productIds))
      .toEqual(strip(await levelsOf(t.db, once.tenantId), once.warehouseIds, once.productIds));
    for (const table of ['inventory_movements', 'applied_ops', 'sales', 'reservations', 'follow_ups', 'discrepancies', 'transfers', 'outbox']) {
      expect(await countRows(t.db, many.tenantId, table), table).toBe(await countRows(t.db, once.tenantId, table));
    }
  });

  it('R2: a gap is refused with the expected seq and nothing from it is applied', async () => {
    const s = await seedTenant(t.db);
    const b = opBuilder(s.tenantId, s.devices[0]!);
    const p = s.productIds[0]!;
    const op1 = b.sale([{ productId: p, quantity: 1 }]);
    b.sale([{ productId: p, quantity: 1 }]);
    const op3 = b.sale([{ productId: p, quantity: 1 }]);
    const r = await domainCode(pushOperations(t.db, b.ctx, [op3]));
    expect(r).toEqual({ code: 'sequence_gap', details: { expectedSeq: 1 } });
    const r2 = await domainCode(pushOperations(t.db, b.ctx, [op1, op3]));
    expect(r2).toEqual({ code: 'sequence_gap', details: { expectedSeq: 2 } });
    expect((await levelOf(t.db, s.tenantId, s.warehouseIds[0]!, p))?.quantity).toBe(9);
  });

  it('R3: a known op id with a different payload is refused and changes nothing', async () => {
    const s = await seedTenant(t.db);
    const b = opBuilder(s.tenantId, s.devices[0]!);
    const p = s.productIds[0]!;
    const op1 = b.sale([{ productId: p, quantity: 1 }]);
    await pushOperations(t.db, b.ctx, [op1]);
    const changed = { ...op1, payload: { ...op1.payload, receiptNo: 999 } } as Operation;
    expect((await domainCode(pushOperations(t.db, b.ctx, [changed]))).code).toBe('op_conflict');
    // The same op id at the next seq is a conflict too, and does not advance the seq.
    const reused = { ...op1, seq: 2 } as Operation;
    expect((await domainCode(pushOperations(t.db, b.ctx, [reused]))).code).toBe('op_conflict');
    // A different op id at an applied seq.
    const other = { ...op1, opId: uuidv7() } as Operation;
    expect((await domainCode(pushOperations(t.db, b.ctx, [other]))).code).toBe('op_conflict');
    expect((await levelOf(t.db, s.tenantId, s.warehouseIds[0]!, p))?.quantity).toBe(9);
    expect(await countRows(t.db, s.tenantId, 'applied_ops')).toBe(1);
  });

  it('R4: a business refusal is recorded, the seq advances and the next op applies', async () => {
    const s = await seedTenant(t.db);
    const b = opBuilder(s.tenantId, s.devices[0]!);
    const unknown = uuidv7();
    const bad = b.sale([{ productId: unknown, quantity: 1 }]);
    const good = b.sale([{ productId: s.productIds[0]!, quantity: 1 }]);
    const r = await pushOperations(t.db, b.ctx, [bad, good]);
    expect(r.lastAppliedSeq).toBe(2);
    expect(r.results[0]).toMatchObject({ status: 'refused', error: { code: 'unknown_product' } });
    expect(r.results[1]?.status).toBe('applied');
    expect(await countRows(t.db, s.tenantId, 'sales')).toBe(1);
    const again = await pushOperations(t.db, b.ctx, [bad]);
    expect(again.results[0]).toEqual(r.results[0]);
  });

  it('R4: a transient fault advances nothing', async () => {
    const s = await seedTenant(t.db);
    const b = opBuilder(s.tenantId, s.devices[0]!);
    const op = b.sale([{ productId: s.productIds[0]!, quantity: 1 }]);
    const failing = { ...t.db, withTenant: <T>(tenantId: string, fn: Parameters<typeof t.db.withTenant<T>>[1]) =>
      t.db.withTenant(tenantId, async (tx) => {
        const out = await fn(tx);
        throw Object.assign(new Error('connection lost'), { code: '08006', out });
      }) };
    await expect(pushOperations(failing, b.ctx, [op])).rejects.toThrow('connection lost');
    expect(await countRows(t.db, s.tenantId, 'applied_ops')).toBe(0);
    expect((await levelOf(t.db, s.tenantId, s.warehouseIds[0]!, s.productIds[0]!))?.quantity).toBe(10);
    expect((await pushOperations(t.db, b.ctx, [op])).lastAppliedSeq).toBe(1);
  });

  it('R5: an invalid op refuses the whole batch before anything is applied', async () => {
    const s = await seedTenant(t.db);
    const b = opBuilder(s.tenantId, s.devices[0]!);
    const good = b.sale([{ productId: s.productIds[0]!, quantity: 1 }]);
    const bad = { ...b.sale([{ productId: s.productIds[0]!, quantity: 1 }]) } as Operation;
    (bad.payload as { lines: { quantity: number }[] }).lines[0]!.quantity = 1.5;
    expect((await domainCode(pushOperations(t.db, b.ctx, [good, bad]))).code).toBe('validation');
    expect(await countRows(t.db, s.tenantId, 'applied_ops')).toBe(0);
  });

  it('refuses a revoked device at once and a device of another tenant', async () => {
    const s = await seedTenant(t.db);
    const other = await seedTenant(t.db);
    const b = opBuilder(s.tenantId, s.devices[0]!);
    const op = b.sale([{ productId: s.productIds[0]!, quantity: 1 }]);
    const cross = { tenantId: other.tenantId, warehouseId: s.warehouseIds[0]!, deviceId: s.devices[0]!.deviceId };
    expect((await domainCode(pushOperations(t.db, cross, [op]))).code).toBe('unauthorized');
    await t.db.withTenant(s.tenantId, (tx) => tx.query('UPDATE devices SET revoked_at = now() WHERE id = $1', [s.devices[0]!.deviceId]));
    expect((await domainCode(pushOperations(t.db, b.ctx, [op]))).code).toBe('unauthorized');
    expect(await countRows(t.db, s.tenantId, 'applied_ops')).toBe(0);
  });
});
