/**
 * `tessera clients add|list|remove` end to end: each command runs in-process (runCli, see
 * test/helpers/cli-runner.ts) against a SQLite file in a temp directory; a client it registers is then
 * used at /oauth/token by an app built in-process over the same file (between CLI runs, never
 * concurrently). test/e2e/cli.test.ts proves the same answers reach a real process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashClientSecret } from '../../src/flows/oauth/clients.js';
import { systemClock } from '../../src/platform/clock.js';
import { createSqliteStores } from '../../src/stores/sqlite/create-sqlite-stores.js';
import { expectCliFailure, expectCliSuccess, runTessera, type CliRun } from '../helpers/cli-runner.js';
import { buildCheckedApp, createTestDeps } from '../helpers/test-deps.js';

/** Each run opens the database (and some hash with argon2id): a bound for a loaded machine, not a pace. */
const IN_PROCESS_TIMEOUT_MS = 60_000;

const CONFIGURED = JSON.stringify([
  {
    client_id: 'from-config',
    type: 'confidential',
    client_secret_sha256: hashClientSecret('configured secret'),
  },
]);

let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-cli-clients-'));
  dbPath = join(dir, 't.db');
  // The CLI never creates a database (only serve and migrate do): create it as a first start would.
  await (await createSqliteStores({ path: dbPath, clock: systemClock })).close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `tessera …` against the test's database (plus one configured client), with no logs. */
function tessera(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runTessera(args, {
    env: {
      TESSERA_DATABASE_URL: `sqlite:${dbPath}`,
      TESSERA_LOG_LEVEL: 'silent',
      TESSERA_OAUTH_CLIENTS: CONFIGURED,
      ...env,
    },
  });
}

/** Asks /oauth/token, over the CLI's database, for a password grant with these client credentials. */
async function tokenStatus(clientId: string, secret: string | null): Promise<number> {
  const deps = await createTestDeps({ stores: (clock) => createSqliteStores({ path: dbPath, clock }) });
  const app = await buildCheckedApp(deps);
  try {
    const form = new URLSearchParams({
      grant_type: 'password',
      username: 'nobody@example.com',
      password: 'x',
    });
    if (secret === null) form.set('client_id', clientId);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (secret !== null)
      headers.authorization = `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
    const response = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers,
      payload: form.toString(),
    });
    // 400 invalid_grant (unknown user) proves the client authenticated; 401 invalid_client that it did not.
    return response.statusCode;
  } finally {
    await app.close();
    await deps.stores.close();
  }
}

describe('tessera clients', { timeout: IN_PROCESS_TIMEOUT_MS }, () => {
  let confidential: { client: { client_id: string }; client_secret: string };

  it('adds a confidential client, printing its secret once, and the secret works at /oauth/token', async () => {
    const run = await tessera([
      'clients',
      'add',
      'Billing app',
      '--grant',
      'password,refresh_token',
      '--scope',
      'billing:read',
      '--json',
    ]);
    expectCliSuccess(run);
    confidential = JSON.parse(run.stdout) as typeof confidential;
    expect(confidential.client).toMatchObject({
      name: 'Billing app',
      type: 'confidential',
      grant_types: ['password', 'refresh_token'],
      scopes: ['billing:read'],
      source: 'store',
    });
    expect(confidential.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await tokenStatus(confidential.client.client_id, confidential.client_secret)).toBe(400);
    expect(await tokenStatus(confidential.client.client_id, 'wrong')).toBe(401);
  });

  it('adds a public client without a secret (text output)', async () => {
    const run = await tessera(['clients', 'add', 'Mobile', '--public']);
    expectCliSuccess(run);
    expect(run.stdout).toMatch(/^Created public client "Mobile"\.\nclient_id: +[A-Za-z0-9_-]{22}\n$/);
    const clientId = /client_id: +(\S+)/.exec(run.stdout)![1]!;
    expect(await tokenStatus(clientId, null)).toBe(400);
  });

  it('lists configured and stored clients as JSON, never with a secret or its hash', async () => {
    const run = await tessera(['clients', 'list', '--json']);
    expectCliSuccess(run);
    const clients = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(
      clients.map((client) => [
        client.client_id === confidential.client.client_id ? 'billing' : client.client_id,
        client.source,
      ]),
    ).toEqual([
      ['from-config', 'config'],
      ['billing', 'store'],
      [expect.any(String), 'store'],
    ]);
    expect(run.stdout).not.toContain(confidential.client_secret);
    expect(run.stdout).not.toMatch(/secret/i);
    const table = await tessera(['clients', 'list']);
    expect(table.stdout.split('\n')[0]).toMatch(/^CLIENT_ID +NAME +TYPE +GRANTS +SCOPES +SOURCE +CREATED$/);
  });

  it('removes a stored client: its secret stops working; removing again is client_not_found (exit 1)', async () => {
    const id = confidential.client.client_id;
    const run = await tessera(['clients', 'remove', id]);
    expectCliSuccess(run);
    expect(run.stdout).toBe(`Removed client "Billing app" (client_id ${id}); 0 sessions revoked.\n`);
    expect(await tokenStatus(id, confidential.client_secret)).toBe(401);
    expectCliFailure(await tessera(['clients', 'remove', id]), 1, /client_not_found/);
    // One base64url id in 32 starts with '-': without `--` it reads as an option, and the error says so.
    expectCliFailure(
      await tessera(['clients', 'remove', '-I1VueaM9P2gQKyaFTSUrQ']),
      2,
      /unknown option '-I'; an argument that starts with '-' \(an id\) goes after --/,
    );
    // After `--` an id that starts with '-' is an id, not an option: it reaches the store.
    expectCliFailure(
      await tessera(['clients', 'remove', '--', '-I1VueaM9P2gQKyaFTSUrQ']),
      1,
      /client_not_found/,
    );
    expectCliFailure(
      await tessera(['clients', 'remove', 'from-config']),
      1,
      /client_not_found: .*TESSERA_OAUTH_CLIENTS/,
    );
  });

  it('answers --help on the group and every subcommand', async () => {
    const group = await tessera(['clients', '--help']);
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/add .*\n.*list .*\n.*remove /);
    for (const sub of ['add', 'list', 'remove']) {
      const help = await tessera(['clients', sub, '--help']);
      expect(help.code, sub).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: tessera clients ${sub}`));
    }
  });

  it('refuses bad command lines with exit 2 and bad configuration with exit 78, in one line', async () => {
    expectCliFailure(await tessera(['clients', 'add']), 2, /missing <name>/);
    expectCliFailure(await tessera(['clients', 'add', 'x', '--public', '--confidential']), 2, /choose one/);
    expectCliFailure(await tessera(['clients', 'add', 'x', '--grant', 'implicit']), 2, /--grant takes/);
    expectCliFailure(await tessera(['clients', 'add', 'x', '--scope', 'a"b']), 2, /--scope takes/);
    expectCliFailure(await tessera(['clients', 'remove']), 2, /missing <client_id>/);
    expectCliFailure(await tessera(['clients', 'list', '--secret']), 2, /--secret/);
    expectCliFailure(await tessera(['clients', 'rename']), 2, /unknown subcommand/);
    expectCliFailure(
      await tessera(['clients', 'list'], { TESSERA_OAUTH_CLIENTS: '[{"client_id":"x"}]' }),
      78,
      /TESSERA_OAUTH_CLIENTS: .*type must be public or confidential \(value hidden\)/,
    );
  });
});
