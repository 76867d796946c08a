/**
 * Every command and subcommand answers --help, and refuses a wrong command line with a UsageError
 * (exit 2), in-process: neither needs the configuration or the database, so nothing is opened.
 * test/e2e/cli.test.ts runs a few of these as real child processes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Command } from '../../../src/cli/command.js';
import { keysCommand } from '../../../src/cli/commands/keys.js';
import { migrateCommand } from '../../../src/cli/commands/migrate.js';
import { serveCommand } from '../../../src/cli/commands/serve.js';
import { sessionsCommand } from '../../../src/cli/commands/sessions.js';
import { tokenCommand } from '../../../src/cli/commands/token.js';
import { usersCommand } from '../../../src/cli/commands/users.js';
import { describeFailure, UsageError } from '../../../src/cli/errors.js';

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  migrate: migrateCommand,
  users: usersCommand,
  sessions: sessionsCommand,
  keys: keysCommand,
  token: tokenCommand,
};

const SUBCOMMANDS: Record<string, string[]> = {
  users: ['add', 'list', 'set-roles', 'lock', 'unlock', 'disable', 'enable', 'delete'],
  sessions: ['list', 'revoke'],
  keys: ['list', 'export-public'],
  token: ['decode', 'verify'],
};

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs `tessera <argv>` in-process and returns its exit code and what it wrote to stdout. */
async function run(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const [name, ...rest] = argv;
  const code = await COMMANDS[name!]!.run(rest);
  return { code, stdout };
}

const paths = [
  ...Object.keys(COMMANDS).map((name) => [name]),
  ...Object.entries(SUBCOMMANDS).flatMap(([name, subs]) => subs.map((sub) => [name, sub])),
];

describe('--help', () => {
  it.each(paths)('tessera %s %s --help prints its usage and exits 0', async (...path: string[]) => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout } = await run([...path, flag]);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: tessera ${path.join(' ')} `));
    }
  });

  it.each(Object.entries(SUBCOMMANDS))('tessera %s --help lists every subcommand', async (name, subs) => {
    const { stdout } = await run([name, '--help']);
    for (const sub of subs) expect(stdout).toMatch(new RegExp(`^  ${sub} +\\S`, 'm'));
  });
});

describe('usage errors → UsageError, exit 2, one line pointing at the right --help', () => {
  it.each<[string[], string]>([
    [['users'], 'users: missing subcommand'],
    [['users', 'frobnicate'], 'users: unknown subcommand "frobnicate"'],
    [['users', 'add'], 'users add: missing <email>'],
    [['users', 'add', 'a@example.com', 'b@example.com'], 'users add: unexpected argument "b@example.com"'],
    [['users', 'add', 'a@example.com', '--frobnicate'], "users add: unknown option '--frobnicate'"],
    [['users', 'add', 'a@example.com'], 'users add: no password: pass --password-stdin'],
    [['users', 'list', '--limit', '0'], 'users list: --limit must be a whole number from 1 to 10000'],
    [['users', 'list', '--limit', '1e3'], 'users list: --limit must be a whole number'],
    [['users', 'list', '--offset', '-1'], "users list: option '--offset' argument is ambiguous"],
    [['users', 'list', '--json=yes'], "users list: option '--json' does not take an argument"],
    [['users', 'set-roles'], 'users set-roles: missing <email>'],
    [
      ['users', 'lock', 'a@example.com', '--until', 'next week'],
      'users lock: --until must be an ISO 8601 date',
    ],
    [
      ['users', 'lock', 'a@example.com', '--until', '2026-13-01'],
      'users lock: --until must be an ISO 8601 date',
    ],
    [['users', 'lock', 'a@example.com', '--until'], "users lock: option '--until <value>' argument missing"],
    [['users', 'unlock'], 'users unlock: missing <email>'],
    [['users', 'disable'], 'users disable: missing <email>'],
    [['users', 'enable'], 'users enable: missing <email>'],
    [['users', 'delete', 'a@example.com'], 'users delete: refusing to delete without --yes'],
    [['sessions', 'list'], 'sessions list: missing <email>'],
    [['sessions', 'revoke'], 'sessions revoke: give a <session-id>, or --user <email> --all'],
    [['sessions', 'revoke', '--user', 'a@example.com'], 'sessions revoke: give a <session-id>'],
    [['sessions', 'revoke', '--all'], 'sessions revoke: --all goes with --user <email> and no session id'],
    [['sessions', 'revoke', 'id', '--user', 'a@example.com', '--all'], 'sessions revoke: --all goes with'],
    [['keys', 'list', 'extra'], 'keys list: unexpected argument "extra"'],
    [['keys', 'export-public', '--json'], "keys export-public: unknown option '--json'"],
    [['migrate', 'now'], 'migrate: unexpected argument "now"'],
    [['token', 'decode'], 'token decode: missing <token>'],
    [['token', 'verify', 'x.y.z'], 'token verify: give exactly one of --jwks, --jwks-file or --key'],
    [['token', 'verify', 'x.y.z', '--key', 'a', '--jwks', 'b'], 'token verify: give exactly one of'],
    [
      ['token', 'verify', 'x.y.z', '--key', 'k', '--alg', 'none'],
      'token verify: --alg: unsupported algorithm "none"',
    ],
  ])('tessera %j', async (argv, message) => {
    const error = await run(argv).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UsageError);
    const { exitCode, line } = describeFailure(error);
    expect(exitCode).toBe(2);
    expect(line.startsWith(message), line).toBe(true);
    expect(line).toMatch(new RegExp(`\\(run "tessera ${argv[0]}( \\S+)? --help" for usage\\)$`));
    expect(line).not.toContain('\n');
  });
});
