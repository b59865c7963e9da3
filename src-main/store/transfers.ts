import { z } from 'zod';
import { TransferInInput, TransferOutInput, type TransferResult } from '../../src-shared/branch-inputs';
import { DomainError, parseOrThrow } from '../../src-shared/errors';
import { uuidv7 } from '../../src-shared/ids';
import type { TransferInPayload, TransferOutPayload } from '../../src-shared/operations';
import { TransferView, type TransferStatus } from '../../src-shared/sync';
import { addStock, raiseDiscrepancy, recordMovement, refuseDuplicates, requireProduct, takeOrThrow, type StoreContext } from './context';
import { runOp, type OutboxWrites } from './run-op';

/*
 * Stock moving between warehouses. transferOut takes stock off this branch's
 * level (conditional, like a sale) and leaves it "in transit out" until central
 * says it arrived. transferIn puts what actually arrived on the level; against
 * a transfer central told us about, short and over are noted per product.
 */

interface TransferRow { id: string; direction: 'out' | 'in'; from_warehouse_id: string; to_warehouse_id: string; status: TransferStatus; received_op_id: string | null }
interface TransferLineRow { product_id: string; dispatched: number | null; received: number | null }

export function createTransfers(ctx: StoreContext, ob: OutboxWrites) {
  const { db } = ctx;
  const getWarehouse = db.prepare<[string], { id: string }>('SELECT id FROM warehouses WHERE id = ?');
  const getTransfer = db.prepare<[string], TransferRow>(
    'SELECT id, direction, from_warehouse_id, to_warehouse_id, status, received_op_id FROM transfers WHERE id = ?');
  const getLines = db.prepare<[string], TransferLineRow>('SELECT product_id, dispatched, received FROM transfer_lines WHERE transfer_id = ? ORDER BY product_id');
  const insertTransfer = db.prepare<{ id: string; dir: string; from: string; to: string; status: TransferStatus; opId: string | null; actor: string | null; note: string | null; dispatchedAt: string | null; at: string }>(
    `INSERT INTO transfers (id, direction, from_warehouse_id, to_warehouse_id, status, op_id, actor_id, note, dispatched_at, created_at)
     VALUES (@id, @dir, @from, @to, @status, @opId, @actor, @note, @dispatchedAt, @at)`);
  const setDispatched = db.prepare<[string, string, number]>(
    `INSERT INTO transfer_lines (transfer_id, product_id, dispatched) VALUES (?, ?, ?)
     ON CONFLICT (transfer_id, product_id) DO UPDATE SET dispatched = excluded.dispatched`);
  const setReceived = db.prepare<[string, string, number]>(
    `INSERT INTO transfer_lines (transfer_id, product_id, received) VALUES (?, ?, ?)
     ON CONFLICT (transfer_id, product_id) DO UPDATE SET received = excluded.received`);
  const addReceived = db.prepare<[string, string, number]>(
    `INSERT INTO transfer_lines (transfer_id, product_id, received) VALUES (?, ?, ?)
     ON CONFLICT (transfer_id, product_id) DO UPDATE SET received = coalesce(received, 0) + excluded.received`);
  // As central derives it (R17): received when every dispatched line arrived in full, partially when some did.
  // A line with nothing known dispatched (a transfer central has not told us about) is not outstanding.
  const settleStatus = db.prepare<{ id: string }>(
    `UPDATE transfers SET status = (
       SELECT CASE WHEN min(coalesce(received, 0) >= coalesce(dispatched, 0)) = 1 THEN 'received'
                   WHEN max(coalesce(received, 0) > 0) = 1 THEN 'partially_received' ELSE 'in_transit' END
       FROM transfer_lines WHERE transfer_id = @id)
     WHERE id = @id`);
  const noteReceipt = db.prepare<{ id: string; opId: string; at: string }>(
    'UPDATE transfers SET received_op_id = @opId, received_at = @at WHERE id = @id');
  const setStatus = db.prepare<[TransferStatus, string]>('UPDATE transfers SET status = ? WHERE id = ?');

  function requireOtherWarehouse(id: string): void {
    if (id === ctx.warehouseId) throw new DomainError('validation', 'invalid transfer: the other warehouse is this branch itself');
    if (!getWarehouse.get(id)) throw new DomainError('unknown_warehouse', `no warehouse ${id} is known to this branch`, { warehouseId: id });
  }

  function view(t: Pick<TransferRow, 'id' | 'direction' | 'from_warehouse_id' | 'to_warehouse_id'>, status: TransferStatus, at: string, discrepancyIds: string[]): TransferResult {
    return {
      transferId: t.id, direction: t.direction, fromWarehouseId: t.from_warehouse_id, toWarehouseId: t.to_warehouse_id, status, occurredAt: at,
      lines: getLines.all(t.id).map((l) => ({ productId: l.product_id, dispatched: l.dispatched, received: l.received })), discrepancyIds,
    };
  }

  return {
    transferOut(raw: unknown): TransferResult {
      const input = parseOrThrow(TransferOutInput, raw, 'transfer out');
      refuseDuplicates(input.lines.map((l) => l.productId), 'transfer out');
      return runOp(ctx, ob, 'transfer_out', input, { receipt: false }, (env) => {
        requireOtherWarehouse(input.toWarehouseId);
        const transferId = uuidv7();
        const t = { id: transferId, direction: 'out' as const, from_warehouse_id: ctx.warehouseId, to_warehouse_id: input.toWarehouseId };
        insertTransfer.run({ id: transferId, dir: 'out', from: ctx.warehouseId, to: input.toWarehouseId, status: 'in_transit', opId: env.opId, actor: env.actorId, note: input.note ?? null, dispatchedAt: env.at, at: env.at });
        for (const l of input.lines) {
          const product = requireProduct(ctx, l.productId);
          takeOrThrow(ctx, product, l.quantity, env.at);
          setDispatched.run(transferId, product.id, l.quantity);
          recordMovement(ctx, product.id, 'transfer_out', -l.quantity, 0, transferId, env.opId, env.at);
        }
        const payload: TransferOutPayload = { transferId, toWarehouseId: input.toWarehouseId, lines: input.lines, note: input.note };
        return { payload, result: view(t, 'in_transit', env.at, []) };
      });
    },

    /**
     * Goods arriving, in one delivery or several (docs/conflicts.md R17, R18): each
     * line is compared with what is still outstanding on it (short or over noted),
     * the stock is credited with what actually arrived, and the transfer's status
     * follows its lines. A transfer central has not told us about yet is recorded
     * from the sending warehouse the clerk names; central matches it later.
     */
    transferIn(raw: unknown): TransferResult {
      const input = parseOrThrow(TransferInInput, raw, 'transfer in');
      refuseDuplicates(input.lines.map((l) => l.productId), 'transfer in');
      return runOp(ctx, ob, 'transfer_in', input, { receipt: false }, (env) => {
        const known = getTransfer.get(input.transferId);
        let from: string;
        if (known) {
          if (known.direction === 'out') throw new DomainError('validation', `invalid transfer in: transfer ${known.id} was sent by this branch`, { transferId: known.id });
          if (input.fromWarehouseId !== undefined && input.fromWarehouseId !== known.from_warehouse_id) {
            throw new DomainError('validation', `invalid transfer in: transfer ${known.id} comes from ${known.from_warehouse_id}, not ${input.fromWarehouseId}`);
          }
          from = known.from_warehouse_id;
        } else {
          if (input.fromWarehouseId === undefined) {
            throw new DomainError('unknown_transfer', `transfer ${input.transferId} is not known here yet: say which warehouse sent it`, { transferId: input.transferId });
          }
          requireOtherWarehouse(input.fromWarehouseId);
          from = input.fromWarehouseId;
          insertTransfer.run({ id: input.transferId, dir: 'in', from, to: ctx.warehouseId, status: 'in_transit', opId: null, actor: env.actorId, note: null, dispatchedAt: null, at: env.at });
        }
        const before = new Map(getLines.all(input.transferId).map((l) => [l.product_id, l]));
        const discrepancyIds: string[] = [];
        for (const l of input.lines) {
          const product = requireProduct(ctx, l.productId);
          const line = before.get(product.id);
          if (known && line?.dispatched !== null) {
            const outstanding = Math.max(0, (line?.dispatched ?? 0) - (line?.received ?? 0));
            const diff = l.quantity - outstanding;
            if (diff !== 0) discrepancyIds.push(raiseDiscrepancy(ctx, product.id, diff < 0 ? 'short_receipt' : 'over_receipt', Math.abs(diff), input.transferId, env.opId, env.at));
          }
          addReceived.run(input.transferId, product.id, l.quantity);
          if (l.quantity > 0) {
            addStock(ctx, product.id, l.quantity, env.at);
            recordMovement(ctx, product.id, 'transfer_in', l.quantity, 0, input.transferId, env.opId, env.at);
          }
        }
        noteReceipt.run({ id: input.transferId, opId: env.opId, at: env.at });
        settleStatus.run({ id: input.transferId });
        const status = getTransfer.get(input.transferId)?.status ?? 'received';
        const payload: TransferInPayload = { transferId: input.transferId, fromWarehouseId: from, lines: input.lines };
        const t = { id: input.transferId, direction: 'in' as const, from_warehouse_id: from, to_warehouse_id: ctx.warehouseId };
        return { payload, result: view(t, status, env.at, discrepancyIds) };
      });
    },

    /**
     * Transfers central reports (sync pull): incoming ones become known here
     * (in transit in) until received; for our outgoing ones, central's status
     * (e.g. received at the other end) ends their time in transit.
     */
    applyTransferViews(raw: unknown): number {
      const views = parseOrThrow(z.array(TransferView).max(5000), raw, 'transfers');
      return ctx.tx(() => {
        let changed = 0;
        for (const v of views) {
          const t = getTransfer.get(v.transferId);
          if (v.toWarehouseId === ctx.warehouseId) {
            if (t && t.direction !== 'in') continue;
            if (!t) {
              insertTransfer.run({ id: v.transferId, dir: 'in', from: v.fromWarehouseId, to: ctx.warehouseId, status: v.status, opId: null, actor: null, note: null, dispatchedAt: v.dispatchedAt, at: ctx.now() });
            }
            for (const l of v.lines) {
              requireProduct(ctx, l.productId);
              setDispatched.run(v.transferId, l.productId, l.dispatched);
            }
            // Received here already: what arrived here decides (central may not have our receipt yet).
            if (t && t.received_op_id !== null) settleStatus.run({ id: v.transferId });
            else if (t) setStatus.run(v.status, v.transferId);
            changed += 1;
          } else if (v.fromWarehouseId === ctx.warehouseId && t && t.direction === 'out') {
            changed += setStatus.run(v.status, v.transferId).changes;
            for (const l of v.lines) if (l.received > 0) setReceived.run(v.transferId, l.productId, l.received);
          }
        }
        return changed;
      });
    },
  };
}
