import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/*
 * The process boundaries are enforced by eslint.config.js; these tests lint
 * small sources as if they sat in each folder, so a loosened rule shows up here.
 */
const eslint = new ESLint({ cwd: new URL('../../', import.meta.url).pathname });

async function restrictedImports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length;
}

describe('process boundaries (lint)', () => {
  it.each([
    ["import { openBranchStore } from '../src-main/store';", 'the branch core'],
    ["import Database from 'better-sqlite3';", 'the SQLite driver'],
    ["import { ipcRenderer } from 'electron';", 'Electron'],
    ["import { readFileSync } from 'node:fs';", 'Node built-ins'],
    ["import { buildApp } from '../src-server/http/app';", 'the central server'],
  ])('the renderer cannot import %s (%s)', async (code) => {
    expect(await restrictedImports('src-renderer/screens/Probe.tsx', code)).toBe(1);
  });

  it('the renderer may import the shared contract', async () => {
    expect(await restrictedImports('src-renderer/screens/Probe.tsx', "import { BranchApi } from '../../src-shared/branch-api';")).toBe(0);
  });

  it.each([
    ["import { createHash } from 'node:crypto';"],
    ["import { readFileSync } from 'fs';"],
    ["import Database from 'better-sqlite3';"],
    ["import { app } from 'electron';"],
    ["import { useState } from 'react';"],
    ["import { openTill } from '../src-main/core/open-till';"],
  ])('src-shared stays free of Node, DOM-framework, Electron and database imports: %s', async (code) => {
    expect(await restrictedImports('src-shared/probe.ts', code)).toBe(1);
  });

  it('the central server shares only src-shared with the branch', async () => {
    expect(await restrictedImports('src-server/probe.ts', "import { openBranchStore } from '../src-main/store';")).toBe(1);
    expect(await restrictedImports('src-server/probe.ts', "import { Operation } from '../src-shared/operations';")).toBe(0);
  });
});
