import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeConfig } from '../../src-server/config';
import { DEMO_CENTRAL_USERS, demoEnrollmentCode, seedDemoTenant } from '../../src-server/demo/demo-tenant';
import { makeLogger, startServer, type RunningServer } from '../../src-server/http/server';
import { openTill } from '../core/open-till';
import { electronBinary } from '../electron/binary';
import { buildRendererIfStale, RENDERER_OUT, REPO_ROOT } from '../host/renderer-build';
import { startWebHost } from '../host/web-host';
import { createFileVault } from '../sync/vault';

/*
 * `npm start`: the whole system on one machine. Central runs in this process
 * on PGlite (its own subfolder of the data dir), seeded once with the demo
 * tenant; the Beirut till (another subfolder) is enrolled to it with a
 * one-time code on its first start and syncs from then on. The screens run in
 * Electron when its binary is installed, else in the browser from the local
 * web host. A second start reuses both folders; --reset starts over.
 */

function defaultDataDir(): string {
  if (process.env.BRANCHPOS_DATA_DIR) return process.env.BRANCHPOS_DATA_DIR;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData/Roaming'), 'branchpos');
  if (process.platform === 'darwin') return join(homedir(), 'Library/Application Support/branchpos');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local/share'), 'branchpos');
}

/**
 * The till keeps central's URL in its enrollment (in a file, or in the OS
 * keychain under Electron), so central must come back on the port it first
 * had: chosen free on the first start, then remembered next to its data.
 */
function centralPort(centralDir: string): number {
  const file = join(centralDir, 'port');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
}

async function startCentral(dir: string, port: number): Promise<RunningServer> {
  const config = makeConfig({ dataDir: dir, port, host: '127.0.0.1', logLevel: 'warn', outboxWorker: true, summaryFold: true });
  return startServer(config, makeLogger(config));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      reset: { type: 'boolean', default: false },
      web: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
    },
  });
  const root = values['data-dir'] ?? defaultDataDir();
  const centralDir = join(root, 'central');
  const tillDir = join(root, 'till');
  if (values.reset) for (const d of [centralDir, tillDir]) rmSync(d, { recursive: true, force: true });

  buildRendererIfStale();
  const port = centralPort(centralDir);
  const central = await startCentral(centralDir, port).catch((e: unknown) => {
    const taken = e instanceof Error && 'code' in e && e.code === 'EADDRINUSE';
    throw taken ? new Error(`central's port ${port} is taken by another program; the till expects central there (stop that program, or start over with --reset)`) : e;
  });
  writeFileSync(join(centralDir, 'port'), `${new URL(central.url).port}\n`);
  const demo = await seedDemoTenant(central.db);
  console.log(`Central API: ${central.url} (PGlite in ${centralDir})${demo.seededNow ? `: demo tenant seeded with ${demo.products} products` : ''}`);
  // Only a till without an enrollment spends the code; an unused one expires by itself.
  const code = await demoEnrollmentCode(central.db);

  const bin = values.web ? null : electronBinary();
  if (bin) {
    const child = spawn(bin, [REPO_ROOT, `--data-dir=${tillDir}`, `--server-url=${central.url}`, `--enroll-code=${code}`], { stdio: 'inherit' });
    child.on('exit', (exitCode) => { void central.stop('electron exited').finally(() => process.exit(exitCode ?? 0)); });
    return;
  }
  const till = await openTill({
    dataDir: tillDir, seedDemo: true, log: { error: (m, e) => console.error(m, e) },
    central: { vault: createFileVault(tillDir), enroll: { serverUrl: central.url, code, deviceName: `${hostname()} till` } },
  });
  const host = await startWebHost({ core: till.core, rendererDir: RENDERER_OUT, port: values.port ? Number(values.port) : 0 });
  if (!values.web) console.log('The Electron binary is not installed here, so the till runs in your browser from the local web host.');
  console.log(`Branch till: ${till.file}, enrolled as device ${till.store.deviceId} of ${demo.beirutId === till.store.warehouseId ? 'Beirut – Hamra' : till.store.warehouseId}`);
  // The till's users come from central with each pull: these are the demo tenant's, as seeded.
  console.log('Users (PIN):');
  for (const u of DEMO_CENTRAL_USERS) console.log(`  ${u.role.padEnd(8)} ${u.displayName} (${u.username}): ${u.pin}`);
  console.log(`Open the till: ${host.url}`);
  const stop = async () => {
    await host.close();
    await till.close();
    await central.stop('signal');
    process.exit(0);
  };
  process.on('SIGINT', () => { void stop(); });
  process.on('SIGTERM', () => { void stop(); });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
