import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });
const importRules = new Set(['no-restricted-imports', '@typescript-eslint/no-restricted-imports']);

/** The messages of the import-border rules for `source` linted as if it were `file`. */
async function borderMessages(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = [value];\n`, {
    filePath: join(root, file),
  });
  return result!.messages.filter((m) => importRules.has(m.ruleId ?? '')).map((m) => m.message);
}

type Row = [file: string, source: string, message: string];

/** Every border of the layering (eslint.config.js, docs/architecture.md "Borders"): one forbidden import each. */
const refused: Row[] = [
  ['src/token/probe.ts', "import { value } from '../keys/jwks.js';", 'token/ is below keys/'],
  [
    'src/token/probe.ts',
    "import { value } from '../flows/deps.js';",
    'token/ and keys/ import nothing above them',
  ],
  [
    'src/token/probe.ts',
    "import { value } from '../platform/random.js';",
    'token/ and keys/ import nothing above',
  ],
  ['src/token/probe.ts', "import { value } from 'kysely';", 'Drivers belong to adapters'],
  [
    'src/keys/probe.ts',
    "import { value } from '../stores/types.js';",
    'token/ and keys/ import nothing above them',
  ],
  [
    'src/keys/probe.ts',
    "import { value } from '../config/types.js';",
    'token/ and keys/ import nothing above them',
  ],
  [
    'src/keys/probe.ts',
    "import { value } from '../http/problem.js';",
    'token/ and keys/ import nothing above them',
  ],
  ['src/keys/probe.ts', "import { value } from 'fastify';", 'Only src/http/ imports Fastify.'],
  [
    'src/stores/probe.ts',
    "import { value } from '../flows/deps.js';",
    'stores/ import no flows, http, server or cli',
  ],
  ['src/stores/sql/probe.ts', "import { value } from '../../http/problem.js';", 'stores/ import no flows'],
  ['src/stores/redis/probe.ts', "import { value } from '../../server/open-stores.js';", 'stores/ import no'],
  [
    'src/stores/probe.ts',
    "import { value } from '../cli/errors.js';",
    'stores/ import no flows, http, server or cli',
  ],
  ['src/flows/auth/probe.ts', "import { value } from '@node-rs/argon2';", 'Drivers belong to adapters'],
  ['src/flows/auth/probe.ts', "import { value } from 'kysely';", 'Drivers belong to adapters'],
  ['src/flows/auth/probe.ts', "import { value } from 'ioredis';", 'Drivers belong to adapters'],
  ['src/flows/auth/probe.ts', "import { value } from 'nodemailer';", 'Drivers belong to adapters'],
  ['src/flows/auth/probe.ts', "import { value } from 'prom-client';", 'Drivers belong to adapters'],
  ['src/http/probe.ts', "import { value } from 'prom-client';", 'Drivers belong to adapters'],
  [
    'src/flows/auth/probe.ts',
    "import { value } from '../../platform/prometheus-metrics.js';",
    'never on an adapter',
  ],
  ['src/flows/auth/probe.ts', "import { value } from 'fastify';", 'Only src/http/ imports Fastify.'],
  [
    'src/flows/auth/probe.ts',
    "import { value } from '../../stores/memory/memory-stores.js';",
    'never on an adapter',
  ],
  [
    'src/flows/auth/probe.ts',
    "import { value } from '../../stores/sql/sql-users.js';",
    'never on an adapter',
  ],
  [
    'src/flows/auth/probe.ts',
    "import { value } from '../../stores/translate-unavailable.js';",
    'never on an adapter',
  ],
  [
    'src/flows/auth/probe.ts',
    "import { value } from '../../platform/argon2-password-hasher.js';",
    'never on an adapter',
  ],
  ['src/flows/auth/probe.ts', "import { value } from '../../http/problem.js';", 'flows/ are framework-free'],
  [
    'src/flows/auth/probe.ts',
    "import { value } from '../../server/create-deps.js';",
    'flows/ are framework-free',
  ],
  [
    'src/flows/auth/probe.ts',
    "import { value } from '../../config/schema.js';",
    'flows/ import config/ only for types',
  ],
  [
    'src/http/routes/probe.ts',
    "import { value } from '../../stores/types.js';",
    'http/ imports stores only for types',
  ],
  [
    'src/http/probe.ts',
    "import { value } from '../stores/memory/memory-stores.js';",
    'http/ imports stores only',
  ],
  [
    'src/http/probe.ts',
    "import { value } from '../server/create-deps.js';",
    'http/ is below server/ and cli/.',
  ],
  ['src/http/probe.ts', "import { value } from 'pg';", 'Drivers belong to adapters'],
  ['src/server/probe.ts', "import { value } from 'fastify';", 'Only src/http/ imports Fastify.'],
  [
    'src/verify/probe.ts',
    "import { value } from '../stores/types.js';",
    'tessera/verify ships without the server',
  ],
  ['src/verify/probe.ts', "import { value } from 'fastify';", 'Only src/http/ imports Fastify.'],
  [
    'src/verify/fastify-plugin.ts',
    "import { value } from '../flows/deps.js';",
    'tessera/verify ships without',
  ],
  [
    'src/wire/probe.ts',
    "import { value } from '../errors.js';",
    'src/wire/ imports nothing outside src/wire/.',
  ],
  [
    'src/wire/probe.ts',
    "import { value } from '../flows/sessions/views.js';",
    'src/wire/ imports nothing outside',
  ],
  [
    'src/wire/probe.ts',
    "import { value } from 'node:crypto';",
    'src/wire/ imports nothing outside src/wire/.',
  ],
  ['src/wire/probe.ts', "import value from 'fs';", 'src/wire/ imports nothing outside src/wire/.'],
  ['src/wire/probe.ts', "import { value } from 'fastify';", 'src/wire/ imports nothing outside src/wire/.'],
  [
    'src/wire/probe.ts',
    "import { value } from '../wire/user-view.js';",
    'src/wire/ imports nothing outside src/wire/.',
  ],
  [
    'src/client/probe.ts',
    "import { value } from '../errors.js';",
    'src/client/ imports only itself and src/wire/.',
  ],
  ['src/client/probe.ts', "import { value } from '../flows/sessions/views.js';", 'src/client/ imports only'],
  [
    'src/client/probe.ts',
    "import { value } from '../../test/helpers/x.js';",
    'src/client/ imports only itself',
  ],
  ['src/client/probe.ts', "import { value } from 'node:crypto';", 'client/ is browser-safe'],
  ['src/client/probe.ts', "import value from 'fs';", "'fs' import is restricted"],
  [
    'console/src/probe.ts',
    "import { value } from '../../src/flows/deps.js';",
    'The console imports only src/client',
  ],
  ['console/src/probe.ts', "import { value } from 'node:fs';", 'client/ is browser-safe'],
  ['console/src/probe.ts', "import { value } from 'fastify';", 'Only src/http/ imports Fastify.'],
  [
    'src/mail/probe.ts',
    "import { value } from 'nodemailer';",
    'Only src/mail/smtp-transport.ts imports nodemailer',
  ],
  [
    'src/mail/probe.ts',
    "import { value } from 'kysely';",
    'Only src/mail/smtp-transport.ts imports nodemailer',
  ],
  ['src/mail/probe.ts', "import { value } from '../http/problem.js';", 'src/mail/ (transport adapters'],
  ['src/mail/probe.ts', "import { value } from '../server/open-stores.js';", 'src/mail/ (transport adapters'],
  ['src/mail/smtp-transport.ts', "import { value } from 'fastify';", 'Only src/http/ imports Fastify.'],
  ['src/flows/mail/probe.ts', "import { value } from 'nodemailer';", 'Drivers belong to adapters'],
];

/** The same borders let through what the layering allows. */
const allowed: [file: string, source: string][] = [
  ['src/token/probe.ts', "import { value } from '../errors.js';"],
  ['src/token/probe.ts', "import { value } from '../platform/clock.js';"],
  ['src/keys/probe.ts', "import { value } from '../token/jwk.js';"],
  ['src/stores/sql/probe.ts', "import { value } from '../types.js';"],
  ['src/stores/redis/probe.ts', "import { value } from 'ioredis';"],
  ['src/flows/auth/probe.ts', "import { value } from '../../stores/types.js';"],
  ['src/flows/auth/probe.ts', "import { value } from '../../stores/revocation-list.js';"],
  ['src/flows/mail/probe.ts', "import { value } from '../../stores/mail-outbox.js';"],
  ['src/mail/smtp-transport.ts', "import { value } from 'nodemailer';"],
  ['src/mail/probe.ts', "import { value } from '../stores/mail-outbox.js';"],
  ['src/flows/auth/probe.ts', "import { value } from '../../platform/clock.js';"],
  ['src/flows/auth/probe.ts', "import type { value } from '../../platform/random.js';"],
  ['src/flows/auth/probe.ts', "import type { value } from '../../platform/metrics.js';"],
  ['src/flows/auth/probe.ts', "import type { value } from '../../config/types.js';"],
  ['src/flows/auth/probe.ts', "import { value } from '../../keys/jwks.js';"],
  ['src/flows/auth/probe.ts', "import { value } from '../sessions/views.js';"],
  ['src/http/probe.ts', "import type { value } from '../stores/types.js';"],
  ['src/http/probe.ts', "import { value } from 'fastify';"],
  ['src/http/probe.ts', "import { value } from '../flows/deps.js';"],
  ['src/server/probe.ts', "import { value } from '../stores/memory/memory-stores.js';"],
  ['src/verify/probe.ts', "import { value } from '../keys/jwks.js';"],
  ['src/verify/fastify-plugin.ts', "import { value } from 'fastify-plugin';"],
  ['src/wire/probe.ts', "import { value } from './error-codes.js';"],
  ['src/client/probe.ts', "import { value } from '../wire/error-codes.js';"],
  ['src/client/probe.ts', "import { value } from './http-problem.js';"],
  ['console/src/probe.ts', "import { value } from '../../src/client/index.js';"],
];

describe('lint enforces the borders of the layering', () => {
  it.each(refused)('%s refuses %s', async (file, source, message) => {
    const messages = await borderMessages(file, source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(message);
  });

  it.each(allowed)('%s may %s', async (file, source) => {
    expect(await borderMessages(file, source)).toEqual([]);
  });
});
