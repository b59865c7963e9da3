import type { Operation, OpType } from '../../src-shared/operations';
import type { Central, Shop } from './central';
import type { BranchNode } from './node';

/*
 * What must hold after healing and syncing until quiet (issue 4). Each check
 * returns the violations it found, in words, so a failing seed says what broke.
 * Expected levels are recomputed independently from the ops themselves (an
 * oracle), not read back from central's own movements.
 */

interface OutboxRow { op_id: string; device_id: string; seq: number; type: OpType; payload: string; sync_status: string }
interface CentralOp { op_id: string; device_id: string; seq: string | number; status: string }
interface CentralLevel { warehouse_id: string; product_id: string; quantity: number; reserved: number; in_transit: number }

const key = (w: string, p: string) => `${w}|${p}`;
const asOp = (r: OutboxRow): Operation => ({ opId: r.op_id, seq: r.seq, occurredAt: '', type: r.type, payload: JSON.parse(r.payload) as unknown }) as Operation;

export async function checkInvariants(central: Central, shop: Shop, nodes: BranchNode[], opening: number): Promise<string[]> {
  const v: string[] = [];
  const { tenantId, warehouseIds, productIds } = shop.tenant;
  const q = <R>(sql: string, params: unknown[] = []) => central.db.withTenant(tenantId, async (tx) => (await tx.query<R>(sql, params)).rows);

  const applied = new Map((await q<CentralOp>('SELECT op_id, device_id, seq, status FROM applied_ops')).map((r) => [r.op_id, r]));
  const levels = await q<CentralLevel>('SELECT warehouse_id, product_id, quantity, reserved, in_transit FROM inventory_levels');
  const levelBy = new Map(levels.map((l) => [key(l.warehouse_id, l.product_id), l]));

  // 1. Every op in every outbox applied exactly once centrally, none pending, same verdict on both sides.
  const all: Array<OutboxRow & { warehouseId: string; node: string }> = [];
  for (const n of nodes) {
    const rows = n.read((db) => db.prepare<[], OutboxRow>('SELECT op_id, device_id, seq, type, payload, sync_status FROM outbox ORDER BY seq').all());
    rows.forEach((r, i) => {
      if (r.seq !== i + 1) v.push(`${n.id.name}: outbox seq ${r.seq} at position ${i + 1}`);
      all.push({ ...r, warehouseId: n.id.warehouseId, node: n.id.name });
    });
  }
  const devices = new Set(nodes.map((n) => n.id.deviceId));
  const centralCount = [...applied.values()].filter((a) => devices.has(a.device_id)).length;
  if (centralCount !== all.length) v.push(`central holds ${centralCount} ops of these devices, the outboxes ${all.length}`);
  for (const r of all) {
    const a = applied.get(r.op_id);
    if (!a) v.push(`${r.node}: op ${r.op_id} (seq ${r.seq}, ${r.type}) never reached central`);
    else if (a.device_id !== r.device_id || Number(a.seq) !== r.seq) v.push(`${r.node}: op ${r.op_id} applied as device ${a.device_id} seq ${a.seq}`);
    else if (r.sync_status !== a.status) v.push(`${r.node}: op seq ${r.seq} is ${r.sync_status} here, ${a.status} centrally`);
  }

  // 2. Central level = fold of central movements = initial + the effect of every applied op (oracle).
  const fold = await q<{ warehouse_id: string; product_id: string; q: string; r: string; t: string }>(
    'SELECT warehouse_id, product_id, sum(quantity_delta) AS q, sum(reserved_delta) AS r, sum(in_transit_delta) AS t FROM inventory_movements GROUP BY 1, 2');
  for (const f of fold) {
    const l = levelBy.get(key(f.warehouse_id, f.product_id));
    if (!l || l.quantity !== Number(f.q) || l.reserved !== Number(f.r) || l.in_transit !== Number(f.t)) {
      v.push(`central level ${f.warehouse_id}/${f.product_id} ${JSON.stringify(l)} is not the fold of its movements (${f.q}, ${f.r}, ${f.t})`);
    }
  }
  const expectQ = new Map<string, number>();
  for (const w of warehouseIds) for (const p of productIds) expectQ.set(key(w, p), opening);
  const add = (w: string, p: string, d: number) => expectQ.set(key(w, p), (expectQ.get(key(w, p)) ?? 0) + d);
  const reserveLines = new Map<string, { productId: string; quantity: number }[]>();
  const dispatched = new Map<string, { to: string; lines: Map<string, number> }>();
  const received = new Map<string, Map<string, number>>();
  for (const r of all) {
    const op = asOp(r);
    if (op.type === 'reserve') reserveLines.set(op.payload.reservationId, op.payload.lines);
  }
  for (const r of all) {
    if (applied.get(r.op_id)?.status !== 'applied') continue;
    const op = asOp(r);
    const w = r.warehouseId;
    switch (op.type) {
      case 'sale': for (const l of op.payload.lines) add(w, l.productId, -l.quantity); break;
      case 'return': for (const l of op.payload.lines) add(w, l.productId, l.quantity); break;
      case 'receive': for (const l of op.payload.lines) add(w, l.productId, l.receivedQuantity); break;
      case 'adjust': for (const l of op.payload.lines) add(w, l.productId, l.quantityDelta); break;
      case 'count': for (const l of op.payload.lines) add(w, l.productId, l.counted - l.expected); break;
      case 'fulfil': for (const l of reserveLines.get(op.payload.reservationId) ?? []) add(w, l.productId, -l.quantity); break;
      case 'transfer_out':
        for (const l of op.payload.lines) add(w, l.productId, -l.quantity);
        dispatched.set(op.payload.transferId, { to: op.payload.toWarehouseId, lines: new Map(op.payload.lines.map((l) => [l.productId, l.quantity])) });
        break;
      case 'transfer_in': {
        const got = received.get(op.payload.transferId) ?? new Map<string, number>();
        for (const l of op.payload.lines) {
          add(w, l.productId, l.quantity);
          got.set(l.productId, (got.get(l.productId) ?? 0) + l.quantity);
        }
        received.set(op.payload.transferId, got);
        break;
      }
      default: break;
    }
  }
  for (const [k, want] of expectQ) {
    const have = levelBy.get(k)?.quantity ?? 0;
    if (have !== want) v.push(`central quantity ${k} is ${have}, the ops say ${want}`);
  }

  // 3. In transit = dispatched - received (per line, never below zero) and never negative.
  const expectT = new Map<string, number>();
  for (const [tid, d] of dispatched) {
    for (const [p, n] of d.lines) {
      const out = Math.max(0, n - (received.get(tid)?.get(p) ?? 0));
      expectT.set(key(d.to, p), (expectT.get(key(d.to, p)) ?? 0) + out);
    }
  }
  for (const l of levels) {
    if (l.in_transit < 0) v.push(`central in_transit ${l.warehouse_id}/${l.product_id} is negative (${l.in_transit})`);
    const want = expectT.get(key(l.warehouse_id, l.product_id)) ?? 0;
    if (l.in_transit !== want) v.push(`central in_transit ${l.warehouse_id}/${l.product_id} is ${l.in_transit}, dispatched - received is ${want}`);
  }

  // R18: a receipt that arrived before its dispatch is matched once the dispatch is known; one left held is counted as still in transit.
  const unmatched = await q<{ op_id: string; transfer_id: string }>(
    `SELECT r.op_id, r.transfer_id FROM transfer_receipts r WHERE r.matched_at IS NULL AND EXISTS (SELECT 1 FROM transfers t WHERE t.id = r.transfer_id)`);
  for (const u of unmatched) v.push(`central: transfer_in ${u.op_id} of transfer ${u.transfer_id} is still held although the transfer_out was applied (R18 not matched)`);

  // 4. Reserved = what held reservations hold; every refused reservation has a follow-up at its branch.
  const held = await q<{ warehouse_id: string; product_id: string; n: string }>(
    `SELECT r.warehouse_id, l.product_id, sum(l.quantity) AS n FROM reservations r JOIN reservation_lines l ON l.reservation_id = r.id
      WHERE r.status = 'held' GROUP BY 1, 2`);
  const heldBy = new Map(held.map((h) => [key(h.warehouse_id, h.product_id), Number(h.n)]));
  for (const l of levels) {
    const want = heldBy.get(key(l.warehouse_id, l.product_id)) ?? 0;
    if (l.reserved !== want) v.push(`central reserved ${l.warehouse_id}/${l.product_id} is ${l.reserved}, held reservations hold ${want}`);
  }
  const refused = await q<{ id: string; device_id: string }>("SELECT id, device_id FROM reservations WHERE status = 'refused'");
  for (const r of refused) {
    const n = nodes.find((x) => x.id.deviceId === r.device_id);
    if (!n) continue;
    const has = n.read((db) => db.prepare('SELECT 1 FROM follow_ups WHERE reservation_id = ?').get(r.id));
    if (!has) v.push(`${n.id.name}: refused reservation ${r.id} has no follow-up`);
  }

  // 5. Every branch's view of its own warehouse equals central's; its store is consistent.
  for (const n of nodes) {
    const mine = n.read((db) => db.prepare<[string], { product_id: string; quantity: number; reserved: number }>(
      'SELECT product_id, quantity, reserved FROM inventory_levels WHERE warehouse_id = ?').all(n.id.warehouseId));
    const local = new Map(mine.map((m) => [m.product_id, m]));
    for (const p of productIds) {
      const c = levelBy.get(key(n.id.warehouseId, p));
      const l = local.get(p);
      if ((c?.quantity ?? 0) !== (l?.quantity ?? 0) || (c?.reserved ?? 0) !== (l?.reserved ?? 0)) {
        v.push(`${n.id.name}: sees ${p} at ${l?.quantity ?? 0}/${l?.reserved ?? 0}, central ${c?.quantity ?? 0}/${c?.reserved ?? 0}`);
      }
    }
    const report = n.store.verifyConsistency();
    if (!report.ok) v.push(`${n.id.name}: store inconsistent: ${JSON.stringify(report.mismatches.slice(0, 3))}`);
  }

  // 6. Every sale made at a branch (offline or not) is central.
  const centralSales = new Set((await q<{ id: string }>('SELECT id FROM sales')).map((r) => r.id));
  for (const n of nodes) {
    for (const s of n.read((db) => db.prepare<[], { id: string }>('SELECT id FROM sales').all())) {
      if (!centralSales.has(s.id)) v.push(`${n.id.name}: sale ${s.id} is missing centrally`);
    }
  }
  return v;
}
