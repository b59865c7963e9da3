import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { DomainError } from '../../src-shared/errors';
import { Id } from '../../src-shared/primitives';

/*
 * Where the device's enrollment lives: the token that lets this branch speak
 * for its warehouse, with the (non-secret) ids central gave it. One record,
 * written atomically, so a power cut mid-enrollment leaves either the old
 * state or the whole new one. The token never leaves this module's callers in
 * the sync engine: screens get `publicEnrollment`, which has no token, and
 * nothing here logs.
 */

export const StoredEnrollment = z.object({
  serverUrl: z.url(),
  deviceId: Id,
  tenantId: Id,
  warehouseId: Id,
  deviceName: z.string(),
  token: z.string().min(32),
  enrolledAt: z.string(),
});
export type StoredEnrollment = z.infer<typeof StoredEnrollment>;
export type PublicEnrollment = Omit<StoredEnrollment, 'token'>;

export function publicEnrollment(e: StoredEnrollment): PublicEnrollment {
  const { token: _token, ...rest } = e;
  return rest;
}

export interface TokenVault {
  load(): StoredEnrollment | null;
  save(e: StoredEnrollment): void;
  /** Throws when a save would fail: checked before enrolling, so a one-time code is not spent for nothing. */
  assertWritable(): void;
  /** Forget the enrollment (device revoked or re-enrolled). */
  clear(): void;
}

export const TOKEN_FILE = 'device-enrollment';

/** Writes bytes to `file` readable by this user only, via a temp file and rename (atomic on POSIX and NTFS). */
function writePrivate(file: string, bytes: Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  // Created 0600 from the start: never a moment where another user could read it.
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  if (process.platform !== 'win32') {
    const dfd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }
}

function readPrivate(file: string): Buffer | null {
  if (!existsSync(file)) return null;
  // A copy restored from a backup may come back group-readable: close it again before use.
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return readFileSync(file);
}

function parseStored(text: string, file: string): StoredEnrollment {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DomainError('database_corrupt', `the enrollment record ${file} is damaged: enroll this device again`);
  }
  const r = StoredEnrollment.safeParse(raw);
  if (!r.success) throw new DomainError('database_corrupt', `the enrollment record ${file} is damaged: enroll this device again`);
  return r.data;
}

/** Plain-Node vault: a file in the branch data folder, mode 0600 (the user's own account protects it). */
export function createFileVault(dataDir: string): TokenVault {
  const file = join(dataDir, `${TOKEN_FILE}.json`);
  return {
    load() {
      const b = readPrivate(file);
      return b === null ? null : parseStored(b.toString('utf8'), file);
    },
    save(e) {
      writePrivate(file, Buffer.from(JSON.stringify(StoredEnrollment.parse(e)), 'utf8'));
    },
    assertWritable() {
      mkdirSync(dataDir, { recursive: true });
    },
    clear() {
      rmSync(file, { force: true });
    },
  };
}

/** The part of Electron's `safeStorage` the vault uses (passed in: src-main/sync never imports electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * Electron vault: the record encrypted with the OS keychain's key (DPAPI,
 * Keychain, libsecret), in a 0600 file. Built by src-main/electron with the
 * real `safeStorage`; refuses to save in clear when no keychain is available.
 */
export function createSafeStorageVault(safeStorage: SafeStorageLike, dataDir: string): TokenVault {
  const file = join(dataDir, `${TOKEN_FILE}.bin`);
  return {
    load() {
      const b = readPrivate(file);
      if (b === null) return null;
      let text: string;
      try {
        text = safeStorage.decryptString(b);
      } catch {
        throw new DomainError('database_corrupt', 'the enrollment record cannot be decrypted (OS keychain changed?): enroll this device again');
      }
      return parseStored(text, file);
    },
    save(e) {
      this.assertWritable();
      writePrivate(file, safeStorage.encryptString(JSON.stringify(StoredEnrollment.parse(e))));
    },
    assertWritable() {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new DomainError('unavailable', 'the OS keychain is not available, so the device token cannot be stored safely');
      }
      mkdirSync(dataDir, { recursive: true });
    },
    clear() {
      rmSync(file, { force: true });
    },
  };
}
