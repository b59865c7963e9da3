// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Process boundaries, as Signal Desktop keeps them: the renderer talks to the
// branch core only through the typed contract in src-shared, and src-shared
// must run unchanged in Node, in the browser and in the Electron renderer.
const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'worker_threads', 'stream', 'util', 'events'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-nocheck': true, 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'TSAsExpression > TSAnyKeyword', message: 'no `as any`' }],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src-main/**', '**/src-server/**', 'better-sqlite3', 'pg', '@electric-sql/*', 'fastify', 'electron', ...nodeBuiltins],
            message: 'The renderer reaches the branch core only through the contract in src-shared (window.branch / the web host).' },
        ],
      }],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src-main/**', '**/src-server/**', '**/src-renderer/**', 'better-sqlite3', 'pg', '@electric-sql/*', 'fastify', 'electron', 'react', 'react-dom', ...nodeBuiltins],
            message: 'src-shared is imported by every process: no Node, DOM, Electron or database imports here.' },
        ],
      }],
    },
  },
  {
    files: ['src-main/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src-renderer/**', '**/src-server/**'], message: 'The branch core does not import the renderer or the central server.' },
        ],
      }],
    },
  },
  {
    // `npm start` is the composition root of the whole demo system: it starts central and a till in one process.
    files: ['src-main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src-renderer/**'], message: 'The launcher does not import the renderer.' },
        ],
      }],
    },
  },
  {
    files: ['src-server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/src-renderer/**', '**/src-main/**', 'electron', 'better-sqlite3'], message: 'The central server shares only src-shared with the branch.' },
        ],
      }],
    },
  },
);
