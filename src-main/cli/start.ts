import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openTill } from '../core/open-till';
import { electronBinary } from '../electron/binary';
import { buildRendererIfStale, RENDERER_OUT, REPO_ROOT } from '../host/renderer-build';
import { startWebHost } from '../host/web-host';

/*
 * `npm start`: the till on one machine, before central and sync are wired.
 * Builds the screens when their build is missing or older than the sources,
 * opens (or creates) the branch store in the user's data dir, seeds the demo
 * catalog once, then runs Electron when its binary is installed, else serves
 * the same screens from the local web host.
 */

const root = REPO_ROOT;
const rendererOut = RENDERER_OUT;

function defaultDataDir(): string {
  if (process.env.BRANCHPOS_DATA_DIR) return process.env.BRANCHPOS_DATA_DIR;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData/Roaming'), 'branchpos');
  if (process.platform === 'darwin') return join(homedir(), 'Library/Application Support/branchpos');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local/share'), 'branchpos');
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
  buildRendererIfStale();
  const bin = values.web ? null : electronBinary();
  if (bin) {
    const child = spawn(bin, [root, ...(values.reset ? ['--reset'] : [])], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const till = await openTill({ dataDir, reset: values.reset, seedDemo: true, log: { error: (m, e) => console.error(m, e) } });
  const host = await startWebHost({ core: till.core, rendererDir: rendererOut, port: values.port ? Number(values.port) : 0 });
  if (!values.web) console.log('The Electron binary is not installed here, so the till runs in your browser from the local web host.');
  console.log(`Branch store: ${till.file}${till.seed?.seededNow ? ` (demo catalog of ${till.seed.products} products loaded)` : ''}`);
  console.log('Users (PIN):');
  for (const u of till.seed?.users ?? []) console.log(`  ${u.role.padEnd(8)} ${u.name} (${u.userId}): ${u.pin}`);
  console.log(`Open the till: ${host.url}`);
  const stop = async () => { await host.close(); await till.close(); process.exit(0); };
  process.on('SIGINT', () => { void stop(); });
  process.on('SIGTERM', () => { void stop(); });
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
