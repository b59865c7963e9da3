import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../../src-shared/errors';
import { uuidv7 } from '../../../src-shared/ids';
import { moveStock } from '../../../src-server/transfers/central';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases';
import { seedTenant } from '../support/seed';
import { levelOf, movementsMatchLevels } from '../support/state';

describe.each(databaseKinds)('same-database transfers (%s)', (kind) => {
  let t: TestDatabase;
  beforeAll(async () => { t = await createTestDatabase(kind, 16); });
  afterAll(async () => { await t.drop(); });

  it('R20: debits and credits in one transaction; too little available refuses it and writes nothing', async () => {
    const s = await seedTenant(t.db, { stock: 5 });
    const [a, b] = s.warehouseIds as [string, string];
    const p = s.productIds[0]!;
    await moveStock(t.db, s.tenantId, { fromWarehouseId: a, toWarehouseId: b, lines: [{ productId: p, quantity: 3 }] });
    expect((await levelOf(t.db, s.tenantId, a, p))?.quantity).toBe(2);
    expect((await levelOf(t.db, s.tenantId, b, p))?.quantity).toBe(8);
    const refused = await moveStock(t.db, s.tenantId, { fromWarehouseId: a, toWarehouseId: b, lines: [{ productId: s.productIds[1]!, quantity: 1 }, { productId: p, quantity: 3 }] })
      .then(() => null, (e: unknown) => e);
    expect(isDomainError(refused) && refused.code).toBe('insufficient_stock');
    expect((await levelOf(t.db, s.tenantId, b, s.productIds[1]!))?.quantity).toBe(5);
    const unknown = await moveStock(t.db, s.tenantId, { fromWarehouseId: a, toWarehouseId: uuidv7(), lines: [{ productId: p, quantity: 1 }] }).then(() => null, (e: unknown) => e);
    expect(isDomainError(unknown) && unknown.code).toBe('unknown_warehouse');
    const bad = await moveStock(t.db, s.tenantId, { fromWarehouseId: a, toWarehouseId: b, lines: [{ productId: p, quantity: -1 }] }).then(() => null, (e: unknown) => e);
    expect(isDomainError(bad) && bad.code).toBe('validation');
    expect(await movementsMatchLevels(t.db, s.tenantId)).toBe(true);
  });

  it('R20: opposite transfers of the same products at the same moment never deadlock and lose no unit', async () => {
    const s = await seedTenant(t.db, { stock: 1000, products: 2 });
    const [a, b] = s.warehouseIds as [string, string];
    const lines = (n: number) => s.productIds.map((productId) => ({ productId, quantity: n }));
    const rounds = kind === 'postgres' ? 25 : 10;
    const worker = async (from: string, to: string) => {
      for (let i = 0; i < rounds; i += 1) await moveStock(t.db, s.tenantId, { fromWarehouseId: from, toWarehouseId: to, lines: lines(1 + (i % 3)) });
    };
    await Promise.all([worker(a, b), worker(b, a), worker(a, b), worker(b, a), worker(a, b), worker(b, a), worker(a, b), worker(b, a)]);
    for (const p of s.productIds) {
      const qa = (await levelOf(t.db, s.tenantId, a, p))?.quantity ?? 0;
      const qb = (await levelOf(t.db, s.tenantId, b, p))?.quantity ?? 0;
      expect(qa + qb).toBe(2000);
      expect(qa).toBe(1000);
    }
    expect(await movementsMatchLevels(t.db, s.tenantId)).toBe(true);
  });
});
