import { z } from 'zod';
import { DomainError } from '../../src-shared/errors';
import type { PullResponse, PullUser } from '../../src-shared/sync';
import type { Database, Queryable } from '../db/database';
import type { DeviceContext } from './context';
import { pullKinds, type PullKind, type PullScope, type Row } from './pull-kinds';

/*
 * Pull pages by transaction id (change_xid) rather than a sequence number: a
 * sequence value is taken before commit, so a slow transaction can commit a
 * lower number after a pull already moved past it. Each page reads in one
 * REPEATABLE READ snapshot; once a round is complete the next watermark is
 * that first snapshot's xmin, below which every transaction had finished, so
 * nothing committed later can carry a smaller change_xid. Rows changed while a
 * round is paged are simply sent again in the next round (pull is an upsert).
 */

export const DEFAULT_PULL_LIMIT = 1000;
export const MAX_PULL_LIMIT = 5000;

const Xid = z.string().regex(/^\d{1,20}$/);
const Cursor = z.object({
  v: z.literal(1),
  /** Everything changed below this xid was sent. */
  w: Xid,
  /** Mid-round: the watermark the round ends at, the kind reached and the last key sent. */
  h: Xid.optional(),
  k: z.number().int().min(0).max(pullKinds.length).optional(),
  a: z.array(z.string().max(64)).max(4).optional(),
});
type Cursor = z.infer<typeof Cursor>;

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string | undefined): Cursor {
  if (s === undefined || s === '') return { v: 1, w: '0' };
  try {
    const parsed = Cursor.safeParse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the refusal below
  }
  throw new DomainError('validation', 'invalid pull cursor');
}

interface KindPage { rows: Row[]; last: string[] | null }

async function readKind(tx: Queryable, kind: PullKind<unknown>, scope: PullScope, from: string, after: string[] | null, limit: number): Promise<KindPage> {
  const keyCols = kind.key.map((k) => k.column);
  const params: unknown[] = [scope.tenantId, scope.warehouseId, from, limit];
  let resume = '';
  if (after) {
    const placeholders = [`$5::xid8`, ...kind.key.map((k, i) => `$${6 + i}::${k.type}`)];
    resume = `AND (change_xid, ${keyCols.join(', ')}) > (${placeholders.join(', ')})`;
    params.push(...after);
  }
  const filter = kind.filter ? `AND ${kind.filter}` : 'AND $2::uuid IS NOT NULL';
  const r = await tx.query<Row>(
    `SELECT ${kind.columns}, change_xid::text AS change_xid_text, ${kind.key.map((k) => `${k.column}::text AS key_${k.column}`).join(', ')}
       FROM ${kind.table}
      WHERE tenant_id = $1 AND change_xid >= $3::xid8 ${filter} ${resume}
      ORDER BY change_xid, ${keyCols.join(', ')} LIMIT $4`, params);
  const lastRow = r.rows[r.rows.length - 1];
  const last = lastRow ? [String(lastRow.change_xid_text), ...keyCols.map((c) => String(lastRow[`key_${c}`]))] : null;
  return { rows: r.rows, last };
}

function emptyResponse(): Required<Omit<PullResponse, 'cursor' | 'hasMore' | 'serverTime' | 'lastAppliedSeq' | 'users'>> {
  return { warehouses: [], products: [], exchangeRates: [], levels: [], transfers: [], reservations: [], discrepancies: [], followUps: [], purchaseOrders: [] };
}

/** What changed for this device since its cursor, one page at a time (at most `limit` rows over all kinds). */
export async function pullChanges(db: Database, device: DeviceContext, cursor?: string, limit: number = DEFAULT_PULL_LIMIT): Promise<PullResponse> {
  const c = decodeCursor(cursor);
  const pageLimit = Math.max(1, Math.min(MAX_PULL_LIMIT, Math.floor(limit)));
  return db.withTenant(device.tenantId, async (tx) => {
    const d = await tx.query<{ warehouse_id: string; last_applied_seq: string | number; revoked: boolean; h: string; now: Date }>(
      `SELECT warehouse_id, last_applied_seq, revoked_at IS NOT NULL AS revoked,
              pg_snapshot_xmin(pg_current_snapshot())::text AS h, now() AS now
         FROM devices WHERE tenant_id = $1 AND id = $2`, [device.tenantId, device.deviceId]);
    const dev = d.rows[0];
    if (!dev || dev.revoked || dev.warehouse_id !== device.warehouseId.toLowerCase()) throw new DomainError('unauthorized', 'unknown or revoked device');
    const scope: PullScope = { tenantId: device.tenantId, warehouseId: dev.warehouse_id };
    const horizon = c.h ?? dev.h;
    const out = emptyResponse();
    let remaining = pageLimit;
    let k = c.k ?? 0;
    let after: string[] | null = c.a ?? null;
    let next: Cursor = { v: 1, w: horizon };
    let hasMore = false;
    for (; k < pullKinds.length; k += 1) {
      const kind = pullKinds[k] as PullKind<unknown>;
      const page = await readKind(tx, kind, scope, c.w, after, remaining);
      (out[kind.name] as unknown[]).push(...await kind.map(page.rows, tx, scope));
      remaining -= page.rows.length;
      if (remaining === 0 && page.last) {
        next = { v: 1, w: c.w, h: horizon, k, a: page.last };
        hasMore = true;
        break;
      }
      after = null;
    }
    // Users are few and not change-tracked: the whole list for this warehouse rides on the last page, in the same snapshot.
    const users = hasMore ? undefined : (await tx.query<{ id: string; username: string; display_name: string; role: PullUser['role']; pin_hash: string; active: boolean }>(
      `SELECT id, username, display_name, role, pin_hash, active FROM branch_users
        WHERE tenant_id = $1 AND (warehouse_id IS NULL OR warehouse_id = $2) ORDER BY username`, [device.tenantId, dev.warehouse_id]))
      .rows.map((u): PullUser => ({ id: u.id, username: u.username, name: u.display_name, role: u.role, pinHash: u.pin_hash, active: u.active }));
    return {
      cursor: encodeCursor(next), hasMore, serverTime: new Date(dev.now).toISOString(),
      lastAppliedSeq: Number(dev.last_applied_seq), ...out, ...(users ? { users } : {}),
    };
  }, { isolation: 'repeatable read', readOnly: true });
}
