// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Import borders from DESIGN.md ("Layout"): dependencies point one way, token <- keys <- flows <- http. */
const fastifyImports = {
  group: ['fastify', 'fastify-plugin', '@fastify/*'],
  message: 'Only src/http/ imports Fastify.',
};
const storeImports = {
  group: ['**/stores/**', '**/http/**', '**/flows/**', 'kysely', 'better-sqlite3', 'pg', 'ioredis'],
  message: 'token/ and keys/ are pure: no stores, no HTTP, no flows.',
};
const expressImports = {
  group: ['express'],
  message: 'tessera/verify declares structural types; no express.',
};
const nodeImports = { group: ['node:*'], message: 'client/ is browser-safe: fetch and Web APIs only.' };
const nodeBuiltins = [
  'crypto',
  'fs',
  'path',
  'os',
  'http',
  'https',
  'net',
  'stream',
  'buffer',
  'url',
  'util',
  'events',
  'child_process',
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', 'console/dist/', 'artifacts/', '.tools/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/http/**', 'src/verify/fastify-plugin.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [fastifyImports] }] },
  },
  {
    // tessera/verify runs in other people's servers: token/ and keys/ only; Fastify in its plugin file only.
    files: ['src/verify/**/*.ts'],
    ignores: ['src/verify/fastify-plugin.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [fastifyImports, storeImports, expressImports] }],
    },
  },
  {
    files: ['src/verify/fastify-plugin.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [storeImports, expressImports] }] },
  },
  {
    files: ['src/token/**/*.ts', 'src/keys/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [fastifyImports, storeImports] }] },
  },
  {
    // tessera/client may import src/wire/ (the shared contract) and nothing else of the server.
    files: ['src/client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            fastifyImports,
            nodeImports,
            { regex: '^\\.\\./(?!wire/)', message: 'src/client/ imports only itself and src/wire/.' },
          ],
        },
      ],
    },
  },
  {
    // The wire contract is shared by the server and the browser bundle: it imports nothing at all.
    files: ['src/wire/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!\\./[^./])', message: 'src/wire/ imports nothing outside src/wire/.' }] },
      ],
    },
  },
  {
    // The console is a browser page that does auth only through the SDK (src/client).
    files: ['console/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins,
          patterns: [
            fastifyImports,
            nodeImports,
            {
              group: ['**/src/*/**', '!**/src/client/**', '!**/src/wire/**'],
              message: 'The console imports only src/client and src/wire.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only config/ reads process.env; only platform/ reads the clock.
    files: ['src/**/*.ts'],
    ignores: ['src/config/**', 'src/platform/**', 'src/cli/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only src/config/ reads process.env.' },
        { object: 'Date', property: 'now', message: 'Read time through the injected Clock (src/platform/).' },
      ],
    },
  },
  {
    // The SDK cannot import src/platform/ (a separate browser bundle): its default clock reads Date.now.
    files: ['src/client/clock.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only src/config/ reads process.env.' },
      ],
    },
  },
);
