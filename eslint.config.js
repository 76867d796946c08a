// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Import borders (docs/architecture.md, "Borders"): dependencies point one way,
 * token <- keys <- flows <- http <- server. ESLint keeps only the last `no-restricted-imports` setting
 * that applies to a file, so each folder's block lists every pattern that folder must refuse.
 */
const fastifyImports = {
  group: ['fastify', 'fastify-plugin', '@fastify/*'],
  message: 'Only src/http/ imports Fastify.',
};
const serverImports = {
  group: ['**/stores/**', '**/http/**', '**/flows/**', 'kysely', 'better-sqlite3', 'pg', 'ioredis'],
  message: 'tessera/verify ships without the server: token/ and keys/ only, no stores, HTTP or flows.',
};
/** Database, cache, hashing and mail drivers: only adapters (stores/, platform/, server/) touch them. */
const driverImports = {
  group: [
    'kysely',
    'better-sqlite3',
    'pg',
    'pg-*',
    'ioredis',
    '@node-rs/*',
    'nodemailer',
    'pino',
    'prom-client',
  ],
  message: 'Drivers belong to adapters (src/stores/, src/platform/), chosen in src/server/.',
};
const abovePureCore = {
  group: [
    '**/flows/**',
    '**/http/**',
    '**/server/**',
    '**/stores/**',
    '**/config/**',
    '**/cli/**',
    '**/verify/**',
    '**/client/**',
    '**/platform/**',
    '!**/platform/clock.js',
  ],
  message:
    'token/ and keys/ import nothing above them (only src/errors.ts, src/wire/, src/platform/clock.ts).',
};
const tokenBelowKeys = {
  group: ['**/keys/**'],
  message: 'token/ is below keys/: keys import token, not the reverse.',
};
const storesAboveImports = {
  group: ['**/flows/**', '**/http/**', '**/server/**', '**/cli/**'],
  message: 'stores/ import no flows, http, server or cli: ports and adapters sit below the use cases.',
};
const flowsAboveImports = {
  // The WebAuthn library's `@simplewebauthn/server/helpers` is a package path, not Tessera's server/.
  group: ['**/http/**', '**/server/**', '!@simplewebauthn/server/**', '**/cli/**'],
  message: 'flows/ are framework-free use cases: no http, server or cli.',
};
const flowsAdapterImports = {
  group: [
    '**/stores/**',
    '!**/stores/types.js',
    '!**/stores/revocation-list.js',
    '!**/stores/mail-outbox.js',
    '**/platform/**',
    '!**/platform/clock.js',
    '!**/platform/random.js',
    '!**/platform/logger.js',
    '!**/platform/metrics.js',
  ],
  message:
    'flows/ depend on ports (stores/types.ts, stores/revocation-list.ts, platform clock/random/logger/metrics), never on an adapter.',
};
const mailAboveImports = {
  group: ['**/http/**', '**/server/**', '**/cli/**'],
  message: 'src/mail/ (transport adapters, templates, the drainer) sits below http, server and cli.',
};
/** The mail adapters' own border: only the SMTP adapter touches nodemailer; no database driver. */
const mailDriverImports = {
  group: ['nodemailer', 'kysely', 'better-sqlite3', 'pg', 'pg-*', 'ioredis', '@node-rs/*', 'pino'],
  message: 'Only src/mail/smtp-transport.ts imports nodemailer; mail reaches the outbox through its port.',
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
      'no-restricted-imports': ['error', { patterns: [fastifyImports, serverImports, expressImports] }],
    },
  },
  {
    files: ['src/verify/fastify-plugin.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [serverImports, expressImports] }] },
  },
  {
    files: ['src/keys/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [fastifyImports, driverImports, abovePureCore] }],
    },
  },
  {
    files: ['src/token/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [fastifyImports, driverImports, abovePureCore, tokenBelowKeys] },
      ],
    },
  },
  {
    files: ['src/stores/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [fastifyImports, storesAboveImports] }] },
  },
  {
    files: ['src/mail/**/*.ts'],
    ignores: ['src/mail/smtp-transport.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [fastifyImports, mailAboveImports, mailDriverImports] }],
    },
  },
  {
    files: ['src/mail/smtp-transport.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [fastifyImports, mailAboveImports] }] },
  },
  {
    files: ['src/flows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [fastifyImports, driverImports, flowsAboveImports, flowsAdapterImports] },
      ],
      // Settings reach a use case as values in deps; config/'s parsers and codecs stay in config/.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/config/**'],
              allowTypeImports: true,
              message: 'flows/ import config/ only for types: settings arrive through deps.',
            },
          ],
        },
      ],
    },
  },
  {
    // HTTP talks to use cases; stores appear only as types (the deps it is handed), never as code.
    files: ['src/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            driverImports,
            { group: ['**/server/**', '**/cli/**'], message: 'http/ is below server/ and cli/.' },
          ],
        },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/stores/**'],
              allowTypeImports: true,
              message: 'http/ imports stores only for types: it reaches stores through flows.',
            },
          ],
        },
      ],
    },
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
