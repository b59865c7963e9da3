import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { ErrorBody } from '../../src-shared/errors';
import type { BranchCore } from '../core/core';
import { SECURITY_HEADERS, TOKEN_COOKIE, hostAllowed, newToken, originAllowed, presentedToken } from './security';
import { serveStatic } from './static-files';

/*
 * The same contract as Electron's IPC, over HTTP on loopback: the renderer runs
 * in a browser against the same core. `POST /api/<method>` with a JSON body
 * answers `{ ok, value | error }`; `GET /api/events` is a Server-Sent Events
 * stream of the core's events.
 */

export interface WebHostOptions {
  core: BranchCore;
  /** The renderer build (out/renderer). */
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface WebHost {
  port: number;
  token: string;
  /** The URL to open: carries the token once. */
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const KEEPALIVE_MS = 15_000;

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, ...extra, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}
const refuse = (res: ServerResponse, status: number, error: ErrorBody) => sendJson(res, status, { ok: false, error });

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { done(null); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? newToken();
  const root = resolve(opts.rendererDir);
  const streams = new Set<ServerResponse>();
  let port = 0;

  const unsubscribe = opts.core.subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const s of streams) s.write(frame);
  });
  const keepalive = setInterval(() => { for (const s of streams) s.write(': keepalive\n\n'); }, KEEPALIVE_MS);
  keepalive.unref();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, port)) return refuse(res, 403, { code: 'forbidden', message: 'wrong Host' });
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const via = presentedToken(req, url, token);
    if (!via) return refuse(res, 401, { code: 'unauthorized', message: 'this till needs the token printed at start' });
    const cookie: Record<string, string> = via === 'query'
      ? { 'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` }
      : {};

    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return refuse(res, 405, { code: 'validation', message: 'GET only' });
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      // What the page missed while it connected: the sync status now. A
      // status published just before the stream existed would otherwise be
      // lost, and the page would show a stale "syncing" until the next change.
      const now = await opts.core.callByName('syncStatus', {});
      if (now.ok && streams.has(res)) res.write(`event: syncStatus\ndata: ${JSON.stringify(now.value)}\n\n`);
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return refuse(res, 405, { code: 'validation', message: 'POST only' });
      if (!originAllowed(req, port)) return refuse(res, 403, { code: 'forbidden', message: 'cross-origin request' });
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return refuse(res, 415, { code: 'validation', message: 'send application/json' });
      }
      const text = await readBody(req);
      if (text === null) return refuse(res, 413, { code: 'validation', message: 'request too large' });
      let input: unknown;
      try {
        input = text.length === 0 ? {} : JSON.parse(text);
      } catch {
        return refuse(res, 400, { code: 'validation', message: 'the body is not JSON' });
      }
      const result = await opts.core.callByName(url.pathname.slice(5), input);
      const status = result.ok ? 200 : result.error.code === 'validation' ? 400 : result.error.code === 'not_found' && !result.error.details ? 404 : 200;
      return sendJson(res, status, result, cookie);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, { code: 'validation', message: 'GET only' });
    serveStatic(root, url.pathname, res, { ...SECURITY_HEADERS, ...cookie });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) refuse(res, 500, { code: 'internal', message: e instanceof Error ? e.message : 'host failure' });
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () => new Promise<void>((done) => {
      clearInterval(keepalive);
      unsubscribe();
      for (const s of streams) s.end();
      streams.clear();
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
}
