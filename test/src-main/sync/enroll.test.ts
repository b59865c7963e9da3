import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enrollDevice } from '../../../src-main/sync/enroll';
import { createFileVault, createSafeStorageVault, type SafeStorageLike } from '../../../src-main/sync/vault';
import { startProtocolServer, type ProtocolServer } from './protocol-server';

let server: ProtocolServer | null = null;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'bp-vault-'));
  dirs.push(d);
  return d;
};
afterEach(async () => {
  await server?.close();
  server = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('enrollment and the token vault', () => {
  it('enrolls once, keeps the token in a 0600 file, and returns no token to the caller', async () => {
    server = await startProtocolServer();
    const dir = tempDir();
    const vault = createFileVault(dir);
    const e = await enrollDevice({ serverUrl: `${server.url}/`, code: 'ENROLL-123456', deviceName: 'Till 1', vault });
    expect(e).toMatchObject({ serverUrl: server.url, deviceName: 'Till 1', warehouseId: '01900000-0000-7000-8000-000000000003' });
    expect(JSON.stringify(e)).not.toContain(server.token);
    expect(vault.load()?.token).toBe(server.token);
    const files = readdirSync(dir);
    expect(files).toEqual(['device-enrollment.json']);
    expect(statSync(join(dir, files[0] ?? '')).mode & 0o777).toBe(0o600);
    await expect(enrollDevice({ serverUrl: server.url, code: 'ENROLL-123456', deviceName: 'Till 1', vault })).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('refuses a bad code, a bad URL and an unreachable server, storing nothing', async () => {
    server = await startProtocolServer();
    const vault = createFileVault(tempDir());
    await expect(enrollDevice({ serverUrl: server.url, code: 'WRONG-000000', deviceName: 'T', vault })).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(enrollDevice({ serverUrl: 'ftp://x', code: 'ENROLL-123456', deviceName: 'T', vault })).rejects.toMatchObject({ code: 'validation' });
    await expect(enrollDevice({ serverUrl: 'http://127.0.0.1:9', code: 'ENROLL-123456', deviceName: 'T', vault })).rejects.toMatchObject({ code: 'unavailable' });
    expect(vault.load()).toBeNull();
  });

  it('closes a vault file that came back group-readable, and refuses a damaged one', async () => {
    server = await startProtocolServer();
    const dir = tempDir();
    const vault = createFileVault(dir);
    await enrollDevice({ serverUrl: server.url, code: 'ENROLL-123456', deviceName: 'T', vault });
    const file = join(dir, 'device-enrollment.json');
    chmodSync(file, 0o644);
    expect(vault.load()?.deviceId).toBeDefined();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, '{"token":');
    expect(() => vault.load()).toThrow(/damaged/);
    vault.clear();
    expect(vault.load()).toBeNull();
  });

  it('with safeStorage, keeps the record encrypted and refuses to store it in clear without a keychain', async () => {
    server = await startProtocolServer();
    const dir = tempDir();
    // A reversible cipher standing in for the OS keychain: what matters is that the file holds its output, not the text.
    const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
    let available = true;
    const safe: SafeStorageLike = {
      isEncryptionAvailable: () => available,
      encryptString: (s) => xor(Buffer.from(s, 'utf8')),
      decryptString: (b) => xor(b).toString('utf8'),
    };
    const vault = createSafeStorageVault(safe, dir);
    await enrollDevice({ serverUrl: server.url, code: 'ENROLL-123456', deviceName: 'T', vault });
    const raw = readFileSync(join(dir, 'device-enrollment.bin'));
    expect(raw.toString('utf8')).not.toContain(server.token);
    expect(statSync(join(dir, 'device-enrollment.bin')).mode & 0o777).toBe(0o600);
    expect(vault.load()?.token).toBe(server.token);
    vault.clear();
    available = false;
    server.enrollments = 0;
    await expect(enrollDevice({ serverUrl: server.url, code: 'ENROLL-123456', deviceName: 'T', vault })).rejects.toMatchObject({ code: 'unavailable' });
    // Refused before central was asked: the one-time code is still good.
    expect(server.enrollments).toBe(0);
  });
});
