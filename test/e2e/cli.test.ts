/**
 * The `tessera` CLI end to end against a SQLite file in a temp directory. Commands run in-process
 * (runCli, with pipes for stdio and exactly the test's TESSERA_* variables), so the suite's speed does
 * not hang on process start-up; the last group runs real child processes to prove exit statuses and
 * streams reach a shell. Sessions and tokens come from the login flow run in-process on the same file,
 * between CLI runs (never concurrently).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Deps } from '../../src/flows/deps.js';
import { login } from '../../src/flows/auth/login.js';
import { createArgon2Hasher } from '../../src/platform/argon2-password-hasher.js';
import { systemClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { cryptoRandom } from '../../src/platform/random.js';
import { createDeps } from '../../src/server/create-deps.js';
import { createSqliteStores } from '../../src/stores/sqlite/create-sqlite-stores.js';
import {
  expectCliFailure,
  expectCliSuccess,
  runTessera,
  runTesseraProcess,
  type CliRun,
} from '../helpers/cli-runner.js';

/** Each run opens the database (and some hash with argon2id): a bound for a loaded machine, not a pace. */
const IN_PROCESS_TIMEOUT_MS = 60_000;

const EMAIL = 'ada@example.com';
const PASSWORD = 'correct horse battery staple';
// eslint-disable-next-line no-control-regex -- an ANSI escape sequence is exactly what must not appear
const ANSI = /\x1b\[/;

let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-cli-'));
  dbPath = join(dir, 't.db');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** `tessera …` against the test's database, with no logs: in-process, or as a child process. */
function tessera(
  args: string[],
  options: { input?: string; env?: Record<string, string>; process?: boolean } = {},
): Promise<CliRun> {
  const run = options.process === true ? runTesseraProcess : runTessera;
  return run(args, {
    input: options.input,
    env: { TESSERA_DATABASE_URL: `sqlite:${dbPath}`, TESSERA_LOG_LEVEL: 'silent', ...options.env },
  });
}

/** A child process may wait its turn for a CPU on a loaded machine: a generous bound, not a pace. */
const PROCESS_TIMEOUT_MS = 120_000;

/** The server's deps over the test's file, in-process, closed afterwards: to sign in as a browser would. */
async function withServerDeps<T>(work: (deps: Deps) => Promise<T>): Promise<T> {
  const stores = await createSqliteStores({ path: dbPath, clock: systemClock });
  try {
    const deps = await createDeps({
      config: loadConfig({ env: { TESSERA_DATABASE_URL: `sqlite:${dbPath}` } }),
      stores,
      clock: systemClock,
      random: cryptoRandom,
      logger: createSilentLogger(),
      hasher: createArgon2Hasher(), // the CLI's OWASP parameters: no rehash on login
    });
    return await work(deps);
  } finally {
    await stores.close();
  }
}

const signIn = () =>
  withServerDeps((deps) =>
    login(deps, { email: EMAIL, password: PASSWORD }, { ip: '203.0.113.7', userAgent: 'cli-e2e' }),
  );

async function listUsersJson(): Promise<Record<string, unknown>[]> {
  const run = await tessera(['users', 'list', '--json']);
  expectCliSuccess(run);
  return JSON.parse(run.stdout) as Record<string, unknown>[];
}

async function sessionIds(): Promise<string[]> {
  const run = await tessera(['sessions', 'list', EMAIL, '--json']);
  expectCliSuccess(run);
  return (JSON.parse(run.stdout) as { id: string }[]).map((session) => session.id);
}

/** Every member name anywhere in a JSON value. */
function memberNames(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(memberNames);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([name, member]) => [name, ...memberNames(member)]);
}

describe('tessera CLI against a SQLite file', { timeout: IN_PROCESS_TIMEOUT_MS }, () => {
  let accessToken: string;
  let jwksPath: string;
  const config = loadConfig({ env: {} });

  it('migrate applies the schema once, then reports it up to date', async () => {
    const first = await tessera(['migrate']);
    expectCliSuccess(first);
    expect(first.stdout).toContain('Applied 001-initial');
    const second = await tessera(['migrate']);
    expectCliSuccess(second);
    expect(second.stdout).toMatch(/^Up to date: sqlite /);
  });

  it('users add (password on stdin) → list --json shows the user, no hash; a duplicate fails', async () => {
    const added = await tessera(
      ['users', 'add', 'Ada@Example.com', '--name', 'Ada', '--role', 'editor', '--password-stdin'],
      { input: `${PASSWORD}\n` },
    );
    expectCliSuccess(added);
    expect(added.stdout).toMatch(/^Created ada@example\.com \(id [\w-]+, roles editor\)\./);

    const users = await listUsersJson();
    expect(users).toEqual([
      expect.objectContaining({
        email: EMAIL,
        name: 'Ada',
        roles: ['editor'],
        disabled: false,
        locked_until: null,
      }),
    ]);
    expect(JSON.stringify(users)).not.toMatch(/argon2|password/);

    const again = await tessera(['users', 'add', EMAIL, '--password-stdin'], { input: PASSWORD });
    expectCliFailure(again, 1, /email_taken/);
  });

  it('users set-roles replaces the roles', async () => {
    const set = await tessera(['users', 'set-roles', EMAIL, 'admin', 'billing:read', '--json']);
    expectCliSuccess(set);
    expect(JSON.parse(set.stdout)).toMatchObject({ email: EMAIL, roles: ['admin', 'billing:read'] });
  });

  it('sessions list/revoke: one session by id, then all of a user’s', async () => {
    const first = await signIn();
    const second = await signIn();
    const third = await signIn();
    accessToken = third.accessToken;
    expect((await sessionIds()).sort()).toEqual([first.sessionId, second.sessionId, third.sessionId].sort());

    expectCliSuccess(await tessera(['sessions', 'revoke', first.sessionId]));
    expectCliFailure(await tessera(['sessions', 'revoke', first.sessionId]), 1, /session_not_found/);
    const all = await tessera(['sessions', 'revoke', '--user', EMAIL, '--all']);
    expectCliSuccess(all);
    expect(all.stdout).toBe('Revoked 2 sessions.\n');

    await signIn();
    const table = await tessera(['sessions', 'list', EMAIL]);
    expectCliSuccess(table);
    expect(table.stdout).toMatch(/^ID\s+KIND\s+CREATED/);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(2); // the header and the one live session
    expect(table.stdout).toContain('cli-e2e');
  });

  it('users lock (until a date or for good) refuses sign-in, ends sessions; unlock lifts it', async () => {
    const locked = await tessera(['users', 'lock', EMAIL, '--until', '2099-01-01T00:00:00Z']);
    expectCliSuccess(locked);
    expect(locked.stdout).toBe(`Locked ${EMAIL} until 2099-01-01T00:00:00.000Z; 1 session(s) revoked.\n`);
    expect((await listUsersJson())[0]).toMatchObject({ locked_until: '2099-01-01T00:00:00.000Z' });
    await expect(signIn()).rejects.toMatchObject({ code: 'account_disabled' });

    expectCliSuccess(await tessera(['users', 'lock', EMAIL]));
    const table = await tessera(['users', 'list']);
    expect(table.stdout).toMatch(/^EMAIL\s+NAME\s+ROLES\s+STATUS/);
    expect(table.stdout).toMatch(/ada@example\.com\s+Ada\s+admin,billing:read\s+locked\s/);

    const unlocked = await tessera(['users', 'unlock', EMAIL]);
    expectCliSuccess(unlocked);
    expect(unlocked.stdout).toBe(`Unlocked ${EMAIL}.\n`);
    accessToken = (await signIn()).accessToken;
  });

  it('keys list and export-public show the public key only, never private material', async () => {
    const list = await tessera(['keys', 'list', '--json']);
    expectCliSuccess(list);
    const keys = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(keys).toEqual([
      expect.objectContaining({ alg: 'ES256', state: 'current', signing: true, kid: expect.any(String) }),
    ]);
    for (const name of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
      expect(memberNames(keys)).not.toContain(name);
    }

    const exported = await tessera(['keys', 'export-public']);
    expectCliSuccess(exported);
    const jwks = JSON.parse(exported.stdout) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(Object.keys(jwks.keys[0]!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    expect(exported.stdout).not.toContain('"d"');
    jwksPath = join(dir, 'jwks.json');
    await writeFile(jwksPath, exported.stdout);
  });

  it('token decode: header and claims, NOT VERIFIED, expiry in words, no colour in a pipe', async () => {
    const decoded = await tessera(['token', 'decode', accessToken]);
    expectCliSuccess(decoded);
    expect(decoded.stdout).toMatch(/^NOT VERIFIED/);
    expect(decoded.stdout).toContain('"typ": "at+jwt"');
    expect(decoded.stdout).toContain(`"iss": "${config.issuer}"`);
    expect(decoded.stdout).toMatch(/expires in 1[45] minutes/);
    expect(decoded.stdout).not.toMatch(ANSI);

    const fromStdin = await tessera(['token', 'decode', '-', '--json'], { input: `${accessToken}\n` });
    expectCliSuccess(fromStdin);
    expect(JSON.parse(fromStdin.stdout)).toMatchObject({
      verified: false,
      payload: { roles: ['admin', 'billing:read'] },
    });

    expectCliFailure(await tessera(['token', 'decode', 'not-a-token']), 1, /invalid token: token_malformed/);
  });

  it('token verify: valid → 0, tampered or wrong issuer → 1 with the code; JWKS file, JWK, URL', async () => {
    const claims = ['--issuer', config.issuer, '--audience', config.audience, '--typ', 'at+jwt'];
    const valid = await tessera(['token', 'verify', accessToken, '--jwks-file', jwksPath, ...claims]);
    expectCliSuccess(valid);
    expect(valid.stdout).toMatch(/^VERIFIED: signature \(ES256, kid "[\w-]+"\)/);
    expect(valid.stdout).toMatch(/expires in 1[45] minutes/);

    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    const forged = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['superuser'] };
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    const bad = await tessera(['token', 'verify', tampered, '--jwks-file', jwksPath]);
    expectCliFailure(bad, 1, /^tessera: invalid token: token_signature_invalid: /);
    expect(bad.stdout).toBe('');

    expectCliFailure(
      await tessera([
        'token',
        'verify',
        accessToken,
        '--jwks-file',
        jwksPath,
        '--issuer',
        'https://evil.example',
      ]),
      1,
      /token_claim_invalid/,
    );

    const jwkPath = join(dir, 'key.json');
    const jwks = JSON.parse(await readFile(jwksPath, 'utf8')) as {
      keys: unknown[];
    };
    await writeFile(jwkPath, JSON.stringify(jwks.keys[0]));
    const viaJwk = await tessera(['token', 'verify', '-', '--key', jwkPath, '--json'], {
      input: accessToken,
    });
    expectCliSuccess(viaJwk);
    expect(JSON.parse(viaJwk.stdout)).toMatchObject({ verified: true, header: { alg: 'ES256' } });

    const server: Server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/jwk-set+json');
      response.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const viaUrl = await tessera([
        'token',
        'verify',
        accessToken,
        '--jwks',
        `http://127.0.0.1:${port}/jwks`,
      ]);
      expectCliSuccess(viaUrl);
      expect(viaUrl.stdout).toMatch(/^VERIFIED/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('users delete needs --yes off a terminal; then the user is gone', async () => {
    expectCliFailure(await tessera(['users', 'delete', EMAIL]), 2, /without --yes/);
    const deleted = await tessera(['users', 'delete', EMAIL, '--yes']);
    expectCliSuccess(deleted);
    expect(deleted.stdout).toMatch(/^Deleted ada@example\.com/);
    expectCliFailure(await tessera(['users', 'delete', EMAIL, '--yes']), 1, /user_not_found/);
  });
});

// Every command's --help and every usage error are covered in-process by test/unit/cli/commands.test.ts
// and above; these prove the answers reach a real process's exit status and streams: one of each kind.
describe('tessera as a child process: exit statuses and streams', () => {
  it.concurrent(
    'an unknown command → exit 2 with one line on stderr',
    async () => {
      expectCliFailure(await tessera(['frobnicate'], { process: true }), 2, /unknown command "frobnicate"/);
    },
    PROCESS_TIMEOUT_MS,
  );

  it.concurrent(
    'a bad configuration value → exit 78 with one line naming the variable',
    async () => {
      const run = await tessera(['users', 'list'], { env: { TESSERA_PORT: 'abc' }, process: true });
      expectCliFailure(run, 78, /^tessera: configuration error: TESSERA_PORT: /);
    },
    PROCESS_TIMEOUT_MS,
  );

  it.concurrent(
    'a missing user → exit 1 with one line (the database opened and closed)',
    async () => {
      // The CLI never creates a database (only serve and migrate do): migrate first, in-process.
      const env = { TESSERA_DATABASE_URL: `sqlite:${join(dir, 'process.db')}` };
      expectCliSuccess(await tessera(['migrate'], { env }));
      const run = await tessera(['users', 'unlock', 'nobody@example.com'], { env, process: true });
      expectCliFailure(run, 1, /^tessera: user_not_found: /);
    },
    PROCESS_TIMEOUT_MS,
  );

  it.concurrent(
    '--help → the usage on stdout, exit 0, without reading the configuration',
    async () => {
      const run = await tessera(['--help'], { env: { TESSERA_PORT: 'not even read' }, process: true });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^Usage: tessera <command>[\s\S]*users\s+manage user accounts/);
      expect(run.stderr).toBe('');
    },
    PROCESS_TIMEOUT_MS,
  );

  it.concurrent(
    'reads a token from a piped stdin and prints JSON without colour',
    async () => {
      const header = Buffer.from('{"alg":"ES256","typ":"at+jwt"}').toString('base64url');
      const payload = Buffer.from('{"sub":"u1","exp":4102444800}').toString('base64url');
      const run = await tessera(['token', 'decode', '-', '--json'], {
        input: `${header}.${payload}.c2ln\n`,
        process: true,
      });
      expectCliSuccess(run);
      expect(JSON.parse(run.stdout)).toMatchObject({ verified: false, payload: { sub: 'u1' } });
      expect(run.stdout).not.toMatch(ANSI);
    },
    PROCESS_TIMEOUT_MS,
  );
});

describe(
  'tessera CLI usage and configuration errors (in-process)',
  { timeout: IN_PROCESS_TIMEOUT_MS },
  () => {
    it.each<[string, string[], RegExp]>([
      ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
      ['an unknown subcommand', ['users', 'frobnicate'], /users: unknown subcommand "frobnicate"/],
      ['an unknown option', ['users', 'list', '--frobnicate'], /users list: unknown option '--frobnicate'/],
      ['a missing argument', ['users', 'add'], /users add: missing <email>/],
      ['no password source off a terminal', ['users', 'add', 'bob@example.com'], /--password-stdin/],
      [
        'verify without a key source',
        ['token', 'verify', 'x.y.z'],
        /exactly one of --jwks, --jwks-file or --key/,
      ],
    ])('%s → exit 2 with one line', async (_name, args, pattern) => {
      expectCliFailure(await tessera(args), 2, pattern);
    });

    it('no command → the usage on stderr, exit 2', async () => {
      const run = await tessera([]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^Usage: tessera <command>/);
    });

    it('a bad configuration value → exit 78 with one line naming the variable', async () => {
      const run = await tessera(['users', 'list'], { env: { TESSERA_PORT: 'abc' } });
      expectCliFailure(run, 78, /^tessera: configuration error: TESSERA_PORT: /);
    });

    it('a missing user → exit 1 with one line', async () => {
      const env = { TESSERA_DATABASE_URL: `sqlite:${join(dir, 'other.db')}` };
      expectCliSuccess(await tessera(['migrate'], { env }));
      const run = await tessera(['users', 'unlock', 'nobody@example.com'], { env });
      expectCliFailure(run, 1, /^tessera: user_not_found: /);
    });

    it.each<[string[], RegExp]>([
      [['--help'], /^Usage: tessera <command>[\s\S]*users\s+manage user accounts/],
      [['users', '--help'], /^Usage: tessera users <subcommand>[\s\S]*set-roles/],
      [['token', 'verify', '--help'], /^Usage: tessera token verify/],
    ])('%j prints its help → exit 0, without reading the configuration', async (args, pattern) => {
      const run = await tessera(args, { env: { TESSERA_PORT: 'not even read' } });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(pattern);
      expect(run.stderr).toBe('');
    });
  },
);
