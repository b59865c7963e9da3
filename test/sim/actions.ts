import { isDomainError } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import type { BranchNode } from './node';
import type { Rng } from './prng';

/*
 * The shop's work in the simulation: what a cashier or clerk at one branch
 * device does next, chosen by the seeded PRNG. Every action goes through the
 * real branch store API; a local refusal (not enough stock, a reservation
 * already closed) is what a real till would show, and is counted, not fatal.
 * Transfers are remembered so their destination can receive them later.
 */

export interface SimTransfer { transferId: string; from: string; to: string; lines: { productId: string; quantity: number }[]; received: boolean }

export interface World {
  productIds: string[];
  warehouseIds: string[];
  transfers: SimTransfer[];
  /** Sales per node, for returns. */
  sales: Map<string, { saleId: string; lines: { productId: string; quantity: number }[] }[]>;
  /** Open reservations per node. */
  reservations: Map<string, string[]>;
  counts: Record<string, number>;
}

const ACTOR = 'sim-clerk';
const cash = [{ method: 'cash' as const, currency: 'USD' as const, amountMinor: 10_000_000 }];
const customer = (rng: Rng) => ({ name: rng.pick(['Rami Haddad', 'Maya Khoury', 'Omar Saleh', 'Lina Aoun']), phone: `+961 3 ${rng.int(100, 999)} ${rng.int(100, 999)}` });

function lines(rng: Rng, w: World, max: number): { productId: string; quantity: number }[] {
  const n = rng.int(1, 2);
  const ids = new Set<string>();
  while (ids.size < n) ids.add(rng.pick(w.productIds));
  return [...ids].map((productId) => ({ productId, quantity: rng.int(1, max) }));
}

const ACTIONS = ['sale', 'sale', 'sale', 'return', 'reserve', 'reserve', 'close_reservation', 'receive', 'adjust', 'count', 'transfer_out', 'transfer_in'] as const;
export type ActionKind = (typeof ACTIONS)[number];

/** Performs one random action at `node`; returns its kind, or `refused:<kind>` when the store said no. */
export function act(rng: Rng, w: World, node: BranchNode): string {
  const kind = rng.pick(ACTIONS);
  const s = node.store;
  const name = node.id.name;
  const opId = uuidv7();
  try {
    switch (kind) {
      case 'sale': {
        // Now and then a manager's override: the goods are in the customer's hand, stock or not.
        const override = rng.chance(0.1) ? { managerId: 'mgr', reason: 'goods already handed over' } : undefined;
        const ls = lines(rng, w, 3);
        const r = s.sell({ opId, actorId: ACTOR, lines: ls, payments: cash, ...(override ? { override } : {}) });
        const list = w.sales.get(name) ?? [];
        list.push({ saleId: r.saleId, lines: ls });
        w.sales.set(name, list);
        break;
      }
      case 'return': {
        const list = w.sales.get(name) ?? [];
        if (list.length === 0 || rng.chance(0.3)) {
          s.returnSale({ opId, actorId: ACTOR, lines: lines(rng, w, 2), reason: 'ad hoc' });
        } else {
          const sale = rng.pick(list);
          const l = rng.pick(sale.lines);
          s.returnSale({ opId, actorId: ACTOR, saleId: sale.saleId, lines: [{ productId: l.productId, quantity: rng.int(1, l.quantity) }] });
        }
        break;
      }
      case 'reserve': {
        const r = s.reserve({ opId, actorId: ACTOR, customer: customer(rng), lines: lines(rng, w, 4) });
        const open = w.reservations.get(name) ?? [];
        open.push(r.reservationId);
        w.reservations.set(name, open);
        break;
      }
      case 'close_reservation': {
        const open = w.reservations.get(name) ?? [];
        if (open.length === 0) return 'skip';
        const i = rng.int(0, open.length - 1);
        const id = open[i] ?? '';
        open.splice(i, 1);
        if (rng.chance(0.5)) s.release({ opId, actorId: ACTOR, reservationId: id, reason: 'customer cancelled' });
        else s.fulfil({ opId, actorId: ACTOR, reservationId: id, payments: cash });
        break;
      }
      case 'receive':
        s.receive({ opId, actorId: ACTOR, source: { kind: 'adhoc', supplier: 'Supplier' }, lines: lines(rng, w, 8).map((l) => ({ productId: l.productId, receivedQuantity: l.quantity })) });
        break;
      case 'adjust':
        s.adjust({ opId, actorId: ACTOR, reason: rng.pick(['damaged', 'found', 'correction'] as const), lines: lines(rng, w, 3).map((l) => ({ productId: l.productId, quantityDelta: rng.chance(0.5) ? -l.quantity : l.quantity })) });
        break;
      case 'count':
        s.count({ opId, actorId: ACTOR, lines: lines(rng, w, 1).map((l) => ({ productId: l.productId, counted: rng.int(0, 25) })) });
        break;
      case 'transfer_out': {
        const to = rng.pick(w.warehouseIds.filter((x) => x !== node.id.warehouseId));
        const ls = lines(rng, w, 3);
        const r = s.transferOut({ opId, actorId: ACTOR, toWarehouseId: to, lines: ls });
        w.transfers.push({ transferId: r.transferId, from: node.id.warehouseId, to, lines: ls, received: false });
        break;
      }
      case 'transfer_in': {
        const t = w.transfers.find((x) => x.to === node.id.warehouseId && !x.received);
        if (!t) return 'skip';
        t.received = true;
        // Sometimes a unit goes missing on the road: received short.
        const arrived = t.lines.map((l, i) => ({ productId: l.productId, quantity: i === 0 && rng.chance(0.3) ? l.quantity - 1 : l.quantity }));
        s.transferIn({ opId, actorId: ACTOR, transferId: t.transferId, fromWarehouseId: t.from, lines: arrived });
        break;
      }
    }
    w.counts[kind] = (w.counts[kind] ?? 0) + 1;
    return kind;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    w.counts[`refused:${kind}`] = (w.counts[`refused:${kind}`] ?? 0) + 1;
    return `refused:${kind}`;
  }
}
