import type { FastifyInstance } from 'fastify';
import { makeConfig, type ServerConfig } from '../../../src-server/config';
import { buildApp } from '../../../src-server/http/app';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../support/databases';

/*
 * A real server on loopback over a fresh test database, and a small JSON
 * client for it. Every HTTP test goes through `fetch`, so parsing, content
 * types, status codes and headers are the ones a branch would see.
 */

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface Harness {
  base: string;
  app: FastifyInstance;
  tdb: TestDatabase;
  call(method: string, path: string, opts?: { body?: unknown; raw?: string; type?: string; token?: string | null; headers?: Record<string, string> }): Promise<{ status: number; json: Record<string, unknown> & Record<number, unknown>; text: string; headers: Headers }>;
  admin(method: string, path: string, body?: unknown): ReturnType<Harness['call']>;
  close(): Promise<void>;
}

export async function startHarness(kind: DatabaseKind, overrides: Partial<ServerConfig> = {}): Promise<Harness> {
  const tdb = await createTestDatabase(kind);
  const app = buildApp({ db: tdb.db, config: makeConfig({ adminToken: ADMIN_TOKEN, ...overrides }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  const base = `http://127.0.0.1:${addr.port}`;
  const call: Harness['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw;
      headers['content-type'] = opts.type ?? 'application/json';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${base}${path}`, { method, headers, body });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON (metrics, docs): tests read `text`
    }
    return { status: res.status, json, text, headers: res.headers };
  };
  return {
    base, app, tdb, call,
    admin: (method, path, body) => call(method, path, { body, token: ADMIN_TOKEN }),
    async close() {
      await app.close();
      await tdb.drop();
    },
  };
}
