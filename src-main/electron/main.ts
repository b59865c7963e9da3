import { app, BrowserWindow, ipcMain, safeStorage, session, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { join } from 'node:path';
import { BRANCH_EVENTS, BRANCH_METHODS, ipcChannel, ipcEventChannel } from '../../src-shared/branch-api';
import { hostname } from 'node:os';
import { openTill, type Till, type TillCentral } from '../core/open-till';
import { createSafeStorageVault } from '../sync/vault';
import { APP_ORIGIN, registerAppScheme, serveAppProtocol } from './app-protocol';

/*
 * Electron main: one window, the screens from app://branch, the branch core in
 * this process. Every contract method is registered by walking the map, so a
 * method added to the contract is served without touching this file.
 */

registerAppScheme();
app.enableSandbox();

const rendererDir = join(__dirname, '../renderer');
let till: Till | null = null;

/** Only our own top frame may call the core: not an iframe, not a page navigated elsewhere. */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return frame.url.startsWith(`${APP_ORIGIN}/`);
}

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (e, url) => { if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault(); });
  contents.on('will-redirect', (e, url) => { if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault(); });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function registerContract(current: Till): void {
  for (const method of BRANCH_METHODS) {
    ipcMain.handle(ipcChannel(method), (event, input: unknown) => {
      if (!trustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'untrusted frame' } };
      return current.core.call(method, input);
    });
  }
  current.core.subscribe((event, payload) => {
    if (!BRANCH_EVENTS.includes(event)) return;
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send(ipcEventChannel(event), payload);
  });
}

async function createWindow(): Promise<void> {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

function argValue(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

/**
 * The device token sits in the OS keychain's care (safeStorage). Central's URL
 * and a one-time enrollment code are given once (by `npm start`, or by an
 * installer's first run) as --server-url= and --enroll-code=; later starts find
 * the enrollment in the vault and just sync.
 */
function centralOf(dataDir: string, reset: boolean): TillCentral | undefined {
  const vault = createSafeStorageVault(safeStorage, dataDir);
  // A reset database restarts its seq at 1: the old enrollment must go with it (openTill clears it too when it gets the vault).
  if (reset) vault.clear();
  const serverUrl = argValue('server-url') ?? process.env.BRANCHPOS_SERVER_URL;
  const code = argValue('enroll-code') ?? process.env.BRANCHPOS_ENROLL_CODE;
  if (serverUrl && code) return { vault, enroll: { serverUrl, code, deviceName: hostname() } };
  // Never enrolled and nothing to enrol with: the standalone demo till (its own catalog and users), as before sync existed.
  return vault.load() ? { vault } : undefined;
}

app.on('web-contents-created', (_e, contents) => lockDown(contents));

app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  serveAppProtocol(rendererDir);
  const dataDir = argValue('data-dir') ?? app.getPath('userData');
  const reset = process.argv.includes('--reset');
  const central = centralOf(dataDir, reset);
  till = await openTill({ dataDir, seedDemo: true, reset, ...(central ? { central } : {}) });
  registerContract(till);
  await createWindow();
}).catch((e: unknown) => {
  console.error('branchpos failed to start:', e);
  app.exit(1);
});

app.on('window-all-closed', () => {
  void till?.close();
  till = null;
  app.quit();
});
