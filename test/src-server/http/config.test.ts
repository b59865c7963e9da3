import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, describeConfig, loadConfig, type ServerConfig } from '../../../src-server/config';

const load = (argv: string[], env: NodeJS.ProcessEnv = {}) => loadConfig(argv, { HOME: '/home/rana', ...env }) as ServerConfig;

describe('server settings', () => {
  it('starts on PGlite in the user data folder with safe defaults', () => {
    const c = load([], { XDG_DATA_HOME: '/data/xdg' });
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: join('/data/xdg', 'branchpos', 'server'), outboxWorker: true, logLevel: 'info' });
    expect(c.databaseUrl).toBeUndefined();
  });

  it('knows each platform\'s data folder', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\r\\AppData\\Roaming' }, 'win32')).toContain(join('branchpos', 'server'));
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\r\\AppData\\Roaming' }, 'win32').startsWith('C:\\Users\\r\\AppData\\Roaming')).toBe(true);
    expect(defaultDataDir({}, 'linux')).toMatch(/\.local[/\\]share[/\\]branchpos[/\\]server$/);
  });

  it('takes flags over the environment', () => {
    const c = load(['--port', '9001', '--data-dir', '/srv/bp', '--no-outbox-worker', '--log-level', 'warn'], { PORT: '7000', BRANCHPOS_OUTBOX_WORKER: 'on' });
    expect(c).toMatchObject({ port: 9001, dataDir: '/srv/bp', outboxWorker: false, logLevel: 'warn' });
    const e = load([], { PORT: '7000', DATABASE_URL: 'postgres://app:s3cret@db:5432/bp', BRANCHPOS_BODY_LIMIT: '1048576', BRANCHPOS_OUTBOX_WORKER: 'off' });
    expect(e).toMatchObject({ port: 7000, databaseUrl: 'postgres://app:s3cret@db:5432/bp', dataDir: null, bodyLimitBytes: 1048576, outboxWorker: false });
  });

  it('refuses bad settings with a message naming them', () => {
    expect(() => load(['--port', '70000'])).toThrow(/port/);
    expect(() => load(['--port', 'http'])).toThrow(/port/);
    expect(() => load([], { DATABASE_URL: 'mysql://x' })).toThrow(/databaseUrl/);
    expect(() => load([], { BRANCHPOS_ADMIN_TOKEN: 'short' })).toThrow(/adminToken/);
    expect(() => load(['--log-level', 'loud'])).toThrow(/logLevel/);
    expect(() => load(['--bogus'])).toThrow(/bogus/);
    expect(loadConfig(['--help'], {})).toBe('help');
  });

  it('prints settings with secrets masked', () => {
    const c = load([], { DATABASE_URL: 'postgres://app:s3cret@db:5432/bp', DATABASE_OWNER_URL: 'postgres://owner:0wner@db/bp', BRANCHPOS_ADMIN_TOKEN: 'a-very-long-admin-token-value-123' });
    const printed = JSON.stringify(describeConfig(c));
    expect(printed).not.toMatch(/s3cret|0wner|a-very-long-admin-token-value-123/);
    expect(printed).toContain('postgres://app:****@db:5432/bp');
  });
});
