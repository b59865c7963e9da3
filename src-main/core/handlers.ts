import { DomainError } from '../../src-shared/errors';
import type { BranchMethod, BranchOutput, BranchParsedInput, TillInfo, UserSummary } from '../../src-shared/branch-api';
import type { Users } from '../users/users';
import type { Session } from '../users/session';
import { approvingManager } from './approvals';
import type { StorePort } from './store-port';
import type { SyncStatusSource } from './sync-status';

export interface HandlerContext {
  /** The signed-in user; null only for `open` methods. */
  actor: UserSummary | null;
}

export type Handlers = {
  [M in BranchMethod]: (input: BranchParsedInput<M>, ctx: HandlerContext) => Promise<BranchOutput<M>> | BranchOutput<M>;
};

export interface Thresholds {
  returnApprovalAboveMinor: number;
  adjustApprovalAboveUnits: number;
}
export const DEFAULT_THRESHOLDS: Thresholds = { returnApprovalAboveMinor: 50_00, adjustApprovalAboveUnits: 10 };

export interface HandlerDeps {
  store: StorePort;
  users: Users;
  session: Session;
  sync: SyncStatusSource;
  thresholds?: Thresholds;
  /** Called after every committed stock change with the products it touched. */
  onStockChanged?: (productIds: string[]) => void;
}

function actorOf(ctx: HandlerContext): UserSummary {
  if (!ctx.actor) throw new DomainError('unauthorized', 'sign in first');
  return ctx.actor;
}

const productIds = (lines: readonly { productId: string }[]) => [...new Set(lines.map((l) => l.productId))];

export function createHandlers(deps: HandlerDeps): Handlers {
  const { store, users, session } = deps;
  const thresholds = deps.thresholds ?? DEFAULT_THRESHOLDS;
  const ops = store.operations;
  const q = store.queries;
  const changed = <T>(lines: readonly { productId: string }[], result: T): T => {
    deps.onStockChanged?.(productIds(lines));
    return result;
  };

  /** Catalog value of lines in the base currency: what a refund approval is judged on. */
  const catalogValueMinor = (lines: readonly { productId: string; quantity: number }[]): number => {
    const byId = new Map(store.extras.productsById(productIds(lines)).map((p) => [p.productId, p]));
    const rate = store.extras.lbpPerUsd();
    return lines.reduce((sum, l) => {
      const p = byId.get(l.productId);
      if (!p) throw new DomainError('unknown_product', `unknown product ${l.productId}`, { productId: l.productId });
      const usdMinor = p.currency === 'USD' ? p.priceMinor : Math.round((p.priceMinor * 100) / rate);
      return sum + usdMinor * l.quantity;
    }, 0);
  };

  const tillInfo = (): TillInfo => ({
    deviceId: store.extras.deviceId,
    warehouseId: store.extras.warehouseId,
    warehouseName: store.extras.warehouseName(),
    baseCurrency: 'USD',
    lbpPerUsd: store.extras.lbpPerUsd(),
    ...thresholds,
  });

  return {
    listUsers: () => users.list(),
    async signIn({ userId, pin }) {
      const user = await users.verify(userId, pin);
      return session.signIn(user);
    },
    signOut: () => session.signOut(),
    lock: () => session.lock(),
    whoAmI: () => session.state(),
    tillInfo,
    syncStatus: () => deps.sync.status(),
    async syncNow() {
      await deps.sync.syncNow();
      return deps.sync.status();
    },

    lookupProduct: (p) => q.lookup(p),
    searchProducts: (p) => q.searchProducts(p),
    stockList: (p) => q.stockList(p),
    lowStock: (p) => q.lowStock(p),
    movementHistory: (p) => q.movementHistory(p),
    inventorySummary: (p) => q.inventorySummary(p),
    openDiscrepancies: (p) => q.openDiscrepancies(p),
    saleByReceiptNo: ({ receiptNo }) => store.extras.saleByReceiptNo(receiptNo),
    reservations: ({ openOnly }) => store.extras.reservations(openOnly),
    followUps: () => store.extras.followUps(),
    expectedDeliveries: () => store.extras.expectedDeliveries(),
    transfersInTransit: () => store.extras.transfersInTransit(),
    warehouses: () => store.extras.warehouses(),
    otherBranchesStock: ({ productId }) => store.extras.otherBranchesStock(productId),

    async sell({ approval, overrideReason, ...input }, ctx) {
      const actor = actorOf(ctx);
      let override: { managerId: string; reason: string } | undefined;
      if (overrideReason !== undefined) {
        override = { managerId: await approvingManager(users, actor, approval, 'selling without stock'), reason: overrideReason };
      } else if (approval) {
        throw new DomainError('validation', 'an approval without an override reason approves nothing');
      }
      const lbpPerUsd = input.lbpPerUsd ?? store.extras.lbpPerUsd();
      return changed(input.lines, ops.sell({ ...input, lbpPerUsd, actorId: actor.userId, ...(override ? { override } : {}) }));
    },
    async returnSale({ approval, ...input }, ctx) {
      const actor = actorOf(ctx);
      if (catalogValueMinor(input.lines) > thresholds.returnApprovalAboveMinor) {
        await approvingManager(users, actor, approval, 'a refund this large');
      }
      return changed(input.lines, ops.returnSale({ ...input, actorId: actor.userId }));
    },
    reserve: (input, ctx) => changed(input.lines, ops.reserve({ ...input, actorId: actorOf(ctx).userId })),
    release(input, ctx) {
      const r = ops.release({ ...input, actorId: actorOf(ctx).userId });
      deps.onStockChanged?.([]);
      return r;
    },
    fulfil(input, ctx) {
      const receipt = ops.fulfil({ ...input, lbpPerUsd: input.lbpPerUsd ?? store.extras.lbpPerUsd(), actorId: actorOf(ctx).userId });
      return changed(receipt.lines, receipt);
    },
    receive: (input, ctx) => changed(input.lines, ops.receive({ ...input, actorId: actorOf(ctx).userId })),
    async adjust({ approval, ...input }, ctx) {
      const actor = actorOf(ctx);
      const units = input.lines.reduce((s, l) => s + Math.abs(l.quantityDelta), 0);
      const approvedBy = units > thresholds.adjustApprovalAboveUnits || approval
        ? await approvingManager(users, actor, approval, `an adjustment of ${units} units`)
        : undefined;
      return changed(input.lines, ops.adjust({ ...input, actorId: actor.userId, ...(approvedBy ? { approvedBy } : {}) }));
    },
    async count({ approval, ...input }, ctx) {
      const actor = actorOf(ctx);
      // The correction a count will post, judged against the same threshold as an adjustment.
      const expected = new Map(store.extras.productsById(productIds(input.lines)).map((p) => [p.productId, p.quantity]));
      const units = input.lines.reduce((s, l) => s + Math.abs(l.counted - (expected.get(l.productId) ?? 0)), 0);
      const approvedBy = units > thresholds.adjustApprovalAboveUnits || approval
        ? await approvingManager(users, actor, approval, `a count correcting ${units} units`)
        : undefined;
      return changed(input.lines, ops.count({ ...input, actorId: actor.userId, ...(approvedBy ? { approvedBy } : {}) }));
    },
    transferOut: (input, ctx) => changed(input.lines, ops.transferOut({ ...input, actorId: actorOf(ctx).userId })),
    transferIn: (input, ctx) => changed(input.lines, ops.transferIn({ ...input, actorId: actorOf(ctx).userId })),
  };
}
