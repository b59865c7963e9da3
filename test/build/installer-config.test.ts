import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// electron-builder's own loader and schema validator: the same code `npm run dist` runs first.
const require = createRequire(import.meta.url);
type Config = Record<string, unknown> & {
  electronFuses?: Record<string, boolean>;
  asarUnpack?: string[];
  files?: string[];
  linux?: { target?: string[]; icon?: string };
  win?: { target?: string[]; icon?: string };
  publish?: Array<{ provider: string; url: string }>;
};
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Config>;
  validateConfiguration(config: Config, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const root = new URL('../../', import.meta.url).pathname;
const load = () => getConfig(root, null, null);

describe('installer configuration (electron-builder.yml)', () => {
  it('passes electron-builder schema validation', async () => {
    await expect(validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is rejected by the same validator when it carries an unknown option (the check can fail)', async () => {
    const broken = { ...(await load()), nsis: { oneClick: false, notAnOption: true } };
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(/configuration.nsis/);
  });

  it('flips the fuses: no RunAsNode, no NODE_OPTIONS, no inspect, asar integrity, asar only', async () => {
    const f = (await load()).electronFuses;
    expect(f).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('builds AppImage and deb for Linux and NSIS for Windows, with icons that exist', async () => {
    const c = await load();
    expect(c.linux?.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(c.win?.target).toContain('nsis');
    expect(existsSync(`${root}${c.win?.icon}`)).toBe(true);
    expect(readFileSync(`${root}${c.win?.icon}`).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    expect(existsSync(`${root}${c.linux?.icon}/512x512.png`)).toBe(true);
  });

  it('rebuilds the native SQLite module for Electron and keeps it outside the asar', async () => {
    const c = await load();
    expect(c.npmRebuild).toBe(true);
    expect(c.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**']));
  });

  it('takes the auto-update feed from the environment, not a hard-coded host', async () => {
    const [feed] = (await load()).publish ?? [];
    expect(feed?.provider).toBe('generic');
    expect(feed?.url).toContain('${env.BRANCHPOS_UPDATE_URL}');
  });
});
