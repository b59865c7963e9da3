import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation } from '../../../src-shared/operations';
import { PushResponse } from '../../../src-shared/sync';
import { startHarness, type Harness } from '../http/harness';
import { opBuilder } from '../support/ops';
import { insertDevice, seedTenant, type SeededDevice } from '../support/seed';
import { countRows, levelOf, movementsMatchLevels } from '../support/state';
import { databaseKinds } from '../support/databases';

describe.each(databaseKinds)('sync over HTTP (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(kind); });
  afterAll(async () => { await h.close(); });

  const push = (token: string, ops: Operation[]) => h.call('POST', '/v1/sync/push', { token, body: { ops } });

  it('R8/R9: 200 concurrent reservations for 10 available units: exactly 10 held, reserved never above quantity', async () => {
    const s = await seedTenant(h.tdb.db, { warehouses: 1, products: 1, stock: 10 });
    const w = s.warehouseIds[0]!;
    const p = s.productIds[0]!;
    const devices: SeededDevice[] = await h.tdb.db.withTenant(s.tenantId, async (tx) => {
      const out: SeededDevice[] = [];
      for (let i = 0; i < 200; i += 1) out.push(await insertDevice(tx, s.tenantId, w));
      return out;
    });
    // Watch the level while the requests race: reserved must never pass quantity at any moment.
    let done = false;
    let worst = 0;
    const watcher = (async () => {
      while (!done) {
        const l = await levelOf(h.tdb.db, s.tenantId, w, p);
        worst = Math.max(worst, (l?.reserved ?? 0) - (l?.quantity ?? 0));
        // PGlite answers without I/O: yield to the event loop so the HTTP requests get served.
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const responses = await Promise.all(devices.map((d) => {
      const b = opBuilder(s.tenantId, d);
      return push(d.token, [b.reserve([{ productId: p, quantity: 1 }])]);
    }));
    done = true;
    await watcher;
    expect(worst).toBeLessThanOrEqual(0);
    expect(responses.map((r) => r.status).filter((x) => x !== 200)).toEqual([]);
    const outcomes = responses.map((r) => PushResponse.parse(r.json).results[0]?.result?.outcome);
    expect(outcomes.filter((o) => o === 'held')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(190);
    expect(await levelOf(h.tdb.db, s.tenantId, w, p)).toMatchObject({ quantity: 10, reserved: 10 });
    expect(await countRows(h.tdb.db, s.tenantId, 'follow_ups')).toBe(190);
    expect(await movementsMatchLevels(h.tdb.db, s.tenantId)).toBe(true);
  });

  it('R1: a batch sent five times over HTTP, shuffled and overlapping, leaves the state of one delivery', async () => {
    const s = await seedTenant(h.tdb.db, { stock: 5 });
    const d = s.devices[0]!;
    const b = opBuilder(s.tenantId, d);
    const [p, q] = s.productIds as [string, string];
    const ops = [
      b.sale([{ productId: p, quantity: 2 }]), b.reserve([{ productId: q, quantity: 4 }]), b.reserve([{ productId: q, quantity: 4 }]),
      b.sale([{ productId: p, quantity: 4 }]), b.sale([{ productId: q, quantity: 1 }]),
    ];
    const sends = [ops, [...ops].reverse(), [ops[2]!, ops[0]!, ops[4]!, ops[1]!, ops[3]!], ops.slice(0, 3), [...ops].reverse()];
    const bodies = [];
    for (const batch of sends) {
      const r = await push(d.token, batch);
      expect(r.status).toBe(200);
      bodies.push(PushResponse.parse(r.json));
    }
    expect(bodies[1]?.results).toEqual(bodies[0]?.results);
    expect(await levelOf(h.tdb.db, s.tenantId, s.warehouseIds[0]!, p)).toMatchObject({ quantity: -1, reserved: 0 });
    expect(await levelOf(h.tdb.db, s.tenantId, s.warehouseIds[0]!, q)).toMatchObject({ quantity: 4, reserved: 4 });
    expect(await countRows(h.tdb.db, s.tenantId, 'inventory_movements', "movement_type <> 'opening'")).toBe(4);
    expect(await countRows(h.tdb.db, s.tenantId, 'applied_ops')).toBe(5);
  });
});
