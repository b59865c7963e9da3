import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { makeConfig } from '../../src-server/config';
import type { Database } from '../../src-server/db/database';
import { buildApp } from '../../src-server/http/app';
import { processOutboxOnce } from '../../src-server/outbox/worker';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../src-server/support/databases';
import { insertDevice, seedTenant, type SeededDevice, type SeededTenant } from '../src-server/support/seed';

/*
 * The real central server for the simulation: B's database (PGlite in memory,
 * or a fresh PostgreSQL database when TEST_DATABASE_URL is set) under C's
 * HTTP app, listening on loopback. One tenant is seeded with a warehouse per
 * branch, a small catalog with opening stock, and one device per till.
 */

export interface Shop {
  tenant: SeededTenant;
  /** Devices by till, in the order asked for. */
  tills: SeededDevice[];
}

export interface Central {
  url: string;
  db: Database;
  kind: DatabaseKind;
  /** A fresh tenant (a shop) with its warehouses, catalog, opening stock and tills; tenants are isolated, so seeds can share a server. */
  newShop(opts: ShopOptions): Promise<Shop>;
  /** Runs the transfer outbox worker until nothing is left to do. */
  drainOutbox(): Promise<number>;
  close(): Promise<void>;
}

export interface ShopOptions {
  /** Number of tills per warehouse, e.g. [2, 1, 1]: warehouse 1 has two tills. */
  tillsPerWarehouse: number[];
  products: number;
  stock: number;
}

export async function startCentral(kind: DatabaseKind, opts: { adminToken?: string } = {}): Promise<Central> {
  const tdb: TestDatabase = await createTestDatabase(kind, 8);
  const { db } = tdb;
  let app: FastifyInstance | null = null;
  try {
    app = buildApp({ db, config: makeConfig({ logLevel: 'silent', outboxWorker: false, ...(opts.adminToken ? { adminToken: opts.adminToken } : {}) }) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const running = app;
    return {
      url: `http://127.0.0.1:${port}`,
      db,
      kind,
      async newShop(opts) {
        const tenant = await seedTenant(db, { warehouses: opts.tillsPerWarehouse.length, products: opts.products, stock: opts.stock });
        const tills: SeededDevice[] = [];
        for (let w = 0; w < opts.tillsPerWarehouse.length; w += 1) {
          const first = tenant.devices[w];
          if (!first) throw new Error('seed made too few devices');
          tills.push(first);
          for (let k = 1; k < (opts.tillsPerWarehouse[w] ?? 1); k += 1) {
            const warehouseId = tenant.warehouseIds[w] ?? '';
            tills.push(await db.withTenant(tenant.tenantId, (tx) => insertDevice(tx, tenant.tenantId, warehouseId)));
          }
        }
        return { tenant, tills };
      },
      async drainOutbox() {
        let total = 0;
        for (let i = 0; i < 100; i += 1) {
          const r = await processOutboxOnce(db);
          const n = r.processed + r.retried;
          total += n;
          if (n === 0) break;
        }
        return total;
      },
      async close() {
        await running.close();
        await tdb.drop();
      },
    };
  } catch (e) {
    await app?.close();
    await tdb.drop();
    throw e;
  }
}
