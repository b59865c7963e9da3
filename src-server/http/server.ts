import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { ensureAdminToken } from '../admin/admin-token';
import { describeConfig, type ServerConfig } from '../config';
import { openDatabase, type Database } from '../db/database';
import { processOutboxOnce, startLoop, type BackgroundLoop } from '../outbox/worker';
import { startSummaryFolder } from '../reports/fold';
import { buildApp } from './app';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { Metrics } from './metrics';

/*
 * The running service: database opened (and migrated), admin token ensured,
 * HTTP listening, background work started; and the orderly way down. Kept
 * apart from main.ts so tests can start and stop it in-process.
 */

export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  url: string;
  /** Stops taking requests, lets those in flight finish (up to the shutdown timeout), stops workers, closes the database. */
  stop(reason?: string): Promise<void>;
}

export function makeLogger(config: ServerConfig): Logger {
  return pino({ level: config.logLevel, base: { service: 'branchpos-server' } });
}

export async function startServer(config: ServerConfig, logger: Logger = makeLogger(config)): Promise<RunningServer> {
  logger.info({ config: describeConfig(config) }, 'starting');
  let dirLock: DataDirLock | null = null;
  if (!config.databaseUrl && config.dataDir) {
    mkdirSync(config.dataDir, { recursive: true });
    dirLock = lockDataDir(config.dataDir);
  }
  let db: Database;
  try {
    db = await openDatabase({
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      ...(config.ownerUrl ? { ownerUrl: config.ownerUrl } : {}),
      ...(config.dataDir ? { dataDir: config.dataDir } : {}),
      poolSize: config.poolSize,
    });
  } catch (e) {
    dirLock?.release();
    throw e;
  }
  const background: BackgroundLoop[] = [];
  let closing = false;
  let app: FastifyInstance | undefined;
  try {
    if (config.rotateAdminToken && config.adminToken) logger.warn('--rotate-admin-token ignored: BRANCHPOS_ADMIN_TOKEN is set and wins');
    const admin = await ensureAdminToken(db, config.adminToken, config.rotateAdminToken);
    if (admin.generated) {
      // Printed once, on the start that created it, to stdout where the operator sees it; only its hash is kept.
      process.stdout.write(`\nAdmin token (shown once, store it now): ${admin.generated}\n\n`);
      logger.warn('a new admin token was generated and printed once; only its hash is stored');
    }
    const metrics = new Metrics();
    app = buildApp({ db, config, metrics, logger });
    // Once stopping, answers carry Connection: close, so a keep-alive socket
    // whose last request finishes during shutdown is closed instead of
    // holding the server open until the timeout.
    app.addHook('onSend', async (_req, reply) => {
      if (closing) void reply.header('connection', 'close');
    });
    background.push(...(await startBackground(db, config, logger, metrics)));
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    for (const b of background) await b.stop().catch(() => undefined);
    if (app) await app.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    dirLock?.release();
    throw e;
  }
  const addr = app.server.address();
  const url = typeof addr === 'object' && addr ? `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}` : String(addr);
  logger.info({ url }, 'listening');

  let stopping: Promise<void> | undefined;
  const running = app;
  return {
    app: running, db, url,
    stop(reason = 'stop') {
      stopping ??= (async () => {
        logger.info({ reason }, 'shutting down: finishing requests in flight');
        closing = true;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'requests still in flight at the shutdown timeout; closing anyway');
            running.server.closeAllConnections();
            resolve();
          }, config.shutdownTimeoutMs);
        });
        await Promise.race([running.close(), timeout]);
        clearTimeout(timer);
        for (const b of background) await b.stop().catch((e: unknown) => logger.error({ err: e }, 'background stop failed'));
        await db.close();
        dirLock?.release();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

/**
 * Background work, started once the database is ready: the outbox worker
 * (transfer credits, notifications; safe to run in several processes, claims
 * use SKIP LOCKED) and the inventory summary fold. Both stop before the
 * database closes.
 */
async function startBackground(db: Database, config: ServerConfig, logger: Logger, metrics: Metrics): Promise<BackgroundLoop[]> {
  const loops: BackgroundLoop[] = [];
  if (config.outboxWorker) {
    const workerId = `${hostname()}:${process.pid}`;
    loops.push(startLoop(async () => {
      const s = await processOutboxOnce(db, {
        workerId,
        onError: (err, event) => logger.warn({ err, outboxId: event.id, kind: event.kind }, 'outbox event failed; will retry'),
      });
      if (s.processed) metrics.outboxEvents.inc({ result: 'processed' }, s.processed);
      if (s.retried) metrics.outboxEvents.inc({ result: 'retried' }, s.retried);
      if (s.failed) metrics.outboxEvents.inc({ result: 'dead' }, s.failed);
      return s.processed;
    }, config.outboxIntervalMs, (e) => logger.error({ err: e }, 'outbox worker pass failed')));
  }
  if (config.summaryFold) {
    loops.push(startSummaryFolder(db, { intervalMs: config.summaryFoldIntervalMs, onError: (e) => logger.error({ err: e }, 'summary fold failed') }));
  }
  logger.info({ outboxWorker: config.outboxWorker, summaryFold: config.summaryFold }, 'background work started');
  return loops;
}
