import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/*
 * WAL checkpoints off the till's thread. With synchronous=FULL every commit
 * fsyncs the log; SQLite's automatic checkpoint then runs inside whichever
 * commit crosses the threshold, copying the log into the database and fsyncing
 * it too: with ~12 log frames per sale, about one sale in 80 waits for that.
 * As SQLite's WAL documentation suggests, a separate thread with its own
 * connection runs PASSIVE checkpoints (they never block the writer) on a
 * timer instead. The writer keeps a high automatic threshold as a safety net
 * in case this thread falls behind or dies.
 */

export const SAFETY_NET_AUTOCHECKPOINT_FRAMES = 20_000;

// Plain CommonJS evaluated in the worker: no TypeScript loader needed there.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
// The checkpoint must fsync the database file before the writer may reuse the log.
db.pragma('synchronous = FULL');
let timer;
const tick = () => {
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    if (r && r.busy) parentPort.postMessage({ busy: true });
  } catch (e) {
    parentPort.postMessage({ error: String((e && e.message) || e) });
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
timer = setTimeout(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearTimeout(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer { stop(): Promise<void> }

export function startCheckpointer(file: string, intervalMs: number, onError: (message: string) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  // The checkpointer never keeps the app alive on its own.
  worker.unref();
  worker.on('message', (m: { error?: string }) => { if (m.error) onError(m.error); });
  worker.on('error', (e) => onError(e.message));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // While stopping, the worker (and the 2 s bound) must hold the process
      // open: with both unref'd, a caller awaiting close() as its last work saw
      // the event loop empty and the process exit before the store closed.
      worker.ref();
      worker.postMessage('stop');
      let bound: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([exited, new Promise((r) => { bound = setTimeout(r, 2000); })]);
      clearTimeout(bound);
      await worker.terminate();
    },
  };
}
