import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../../src-server/config';
import { startServer } from '../../../src-server/http/server';
import { uuidv7 } from '../../../src-shared/ids';
import { createTestDatabase, databaseKinds } from '../support/databases';
import { seedTenant } from '../support/seed';
import { ADMIN_TOKEN } from './harness';

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(databaseKinds)('background work in a running server (%s)', (kind) => {
  it('the outbox worker announces a pushed transfer to its destination, and the summary fold keeps the report exact', async () => {
    const tdb = kind === 'postgres' ? await createTestDatabase('postgres') : null;
    const server = await startServer(makeConfig({
      port: 0, adminToken: ADMIN_TOKEN, outboxWorker: true, outboxIntervalMs: 50, summaryFold: true, summaryFoldIntervalMs: 50,
      ...(tdb?.appUrl ? { databaseUrl: tdb.appUrl } : {}),
    }), pino({ level: 'silent' }));
    try {
      const s = await seedTenant(server.db, { warehouses: 2, products: 1, stock: 10 });
      const [from, to] = s.devices;
      const productId = s.productIds[0] as string;
      const op = {
        opId: uuidv7(), seq: 1, occurredAt: new Date().toISOString(), type: 'transfer_out',
        payload: { transferId: uuidv7(), toWarehouseId: to?.warehouseId, lines: [{ productId, quantity: 4 }] },
      };
      const r = await fetch(`${server.url}/v1/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${from?.token}` }, body: JSON.stringify({ ops: [op] }) });
      expect(await r.json()).toMatchObject({ results: [{ status: 'applied' }] });

      const inbound = await until('in-transit stock at the destination', () => server.db.withTenant(s.tenantId, async (tx) =>
        (await tx.query<{ in_transit: number }>('SELECT in_transit FROM inventory_levels WHERE tenant_id = $1 AND warehouse_id = $2 AND product_id = $3',
          [s.tenantId, to?.warehouseId, productId])).rows[0]?.in_transit), (v) => v === 4);
      expect(inbound).toBe(4);

      await until('deltas folded', () => server.db.withTenant(s.tenantId, async (tx) =>
        (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM inventory_summary_deltas WHERE tenant_id = $1', [s.tenantId])).rows[0]?.n), (n) => n === 0);
      const summary = await fetch(`${server.url}/v1/admin/tenants/${s.tenantId}/inventory-summary`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(await summary.json()).toEqual([{ productId, quantity: 16, reserved: 0, available: 16, inTransit: 4, warehouseCount: 2 }]);

      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/branchpos_outbox_events_total\{result="processed"\} 1/);
      expect(metrics).toMatch(/^branchpos_outbox_backlog 0$/m);
    } finally {
      await server.stop();
      await tdb?.drop();
    }
  }, 60_000);
});
