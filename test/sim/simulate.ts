import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseKind } from '../src-server/support/databases';
import { act, type World } from './actions';
import { startCentral, type Central } from './central';
import { checkInvariants } from './invariants';
import { openNode, type BranchNode } from './node';
import { createRng } from './prng';
import { startFaultProxy } from './proxy';

/*
 * One seeded run: the real central server, four branch devices (two tills of
 * the first warehouse, one each at two more), each with its own SQLite file
 * and sync engine behind its own faulty link. A seeded schedule interleaves
 * shop work, syncs, link cuts and heals, lossy/duplicating/reordering links,
 * and kills with restarts. Then every link is healed, everyone syncs until
 * quiet, and the invariants of issue 4 are checked.
 *
 * Syncs are awaited one at a time so the schedule replays from its seed; the
 * proxy's late duplicates and reordered requests still land concurrently.
 */

export interface SimOptions {
  seed: number;
  ops?: number;
  /** A running central to share (one tenant per seed); else one is started and stopped for this seed. */
  central?: Central;
  kind?: DatabaseKind;
  products?: number;
  stock?: number;
}

export interface SimResult {
  seed: number;
  ok: boolean;
  violations: string[];
  counts: Record<string, number>;
  faults: Record<string, number>;
  ms: number;
}

const TILLS = [2, 1, 1];

export async function runSeed(opts: SimOptions): Promise<SimResult> {
  const t0 = Date.now();
  const rng = createRng(opts.seed);
  const stock = opts.stock ?? 8;
  const own = opts.central ? null : await startCentral(opts.kind ?? 'pglite');
  const central = opts.central ?? own;
  if (!central) throw new Error('no central');
  const shop = await central.newShop({ tillsPerWarehouse: TILLS, products: opts.products ?? 4, stock });
  const proxy = await startFaultProxy({ target: central.url, seed: rng.int(1, 2 ** 31) });
  const dir = mkdtempSync(join(tmpdir(), `bp-sim-${opts.seed}-`));
  const nodes: BranchNode[] = [];
  const faults: Record<string, number> = { kills: 0, cuts: 0, lossy: 0, syncs: 0 };
  try {
    shop.tills.forEach((d, i) => {
      const name = `n${i}`;
      nodes.push(openNode({ name, tenantId: shop.tenant.tenantId, warehouseId: d.warehouseId, deviceId: d.deviceId, token: d.token }, dir, proxy.url(name)));
    });
    const world: World = { productIds: shop.tenant.productIds, warehouseIds: shop.tenant.warehouseIds, transfers: [], sales: new Map(), reservations: new Map(), counts: {} };
    // Every branch starts from central's catalog and stock.
    for (const n of nodes) await n.engine.syncNow();

    const total = opts.ops ?? 150;
    for (let step = 0; step < total; step += 1) {
      const n = rng.pick(nodes);
      const roll = rng.next();
      if (roll < 0.04) {
        faults.cuts = (faults.cuts ?? 0) + 1;
        proxy.setFaults(n.id.name, { cut: rng.chance(0.6) });
      } else if (roll < 0.08) {
        faults.lossy = (faults.lossy ?? 0) + 1;
        proxy.setFaults(n.id.name, {
          dropRequest: rng.next() * 0.4, dropResponse: rng.next() * 0.5, duplicate: rng.next() * 0.4, reorder: rng.next() * 0.3, delayMs: [0, rng.int(0, 15)],
        });
      } else if (roll < 0.1) {
        faults.kills = (faults.kills ?? 0) + 1;
        // Killed while a sync may be on the wire: the request can still land after the node is gone.
        const inflight = n.engine.syncNow();
        await new Promise((r) => setTimeout(r, rng.int(0, 5)));
        await n.restart();
        await inflight.catch(() => undefined);
      } else if (roll < 0.32) {
        faults.syncs = (faults.syncs ?? 0) + 1;
        await n.engine.syncNow();
      } else {
        act(rng, world, n);
      }
    }

    // Heal, let late requests land, then sync until every outbox is empty and every branch has the last word.
    proxy.heal();
    await proxy.settle();
    for (let round = 0; round < 20; round += 1) {
      await central.drainOutbox();
      for (const n of nodes) await n.engine.syncNow();
      if (nodes.every((n) => n.store.sync.counters().pendingOps === 0)) break;
    }
    await proxy.settle();
    await central.drainOutbox();
    for (const n of nodes) await n.engine.syncNow();
    const violations = await checkInvariants(central, shop, nodes, stock);
    for (const n of nodes) {
      const st = proxy.stats(n.id.name);
      for (const k of ['droppedRequests', 'droppedResponses', 'duplicated', 'reordered', 'refusedCut'] as const) faults[k] = (faults[k] ?? 0) + st[k];
    }
    const refusals = await central.db.withTenant(shop.tenant.tenantId, (tx) => tx.query<{ type: string; n: number }>(
      "SELECT type, count(*)::int AS n FROM applied_ops WHERE status = 'refused' GROUP BY type"));
    for (const r of refusals.rows) world.counts[`central_refused:${r.type}`] = r.n;
    return { seed: opts.seed, ok: violations.length === 0, violations, counts: world.counts, faults, ms: Date.now() - t0 };
  } finally {
    for (const n of nodes) await n.close().catch(() => undefined);
    await proxy.close();
    await own?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
