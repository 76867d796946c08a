import type { Command } from './command.js';
import { describeFailure, EXIT_USAGE } from './errors.js';

/**
 * `tessera <command>`: one file per command under commands/, each thin over src/. Loaded on demand,
 * so `tessera token decode` and `--help` do not pay for the database driver, the server and argon2.
 */
const COMMANDS: Record<string, { summary: string; load(): Promise<Command> }> = {
  serve: {
    summary: 'start the HTTP server',
    load: async () => (await import('./commands/serve.js')).serveCommand,
  },
  migrate: {
    summary: 'apply pending database migrations',
    load: async () => (await import('./commands/migrate.js')).migrateCommand,
  },
  users: {
    summary: 'manage user accounts',
    load: async () => (await import('./commands/users.js')).usersCommand,
  },
  sessions: {
    summary: "list and revoke users' sessions",
    load: async () => (await import('./commands/sessions.js')).sessionsCommand,
  },
  clients: {
    summary: 'manage OAuth clients',
    load: async () => (await import('./commands/clients.js')).clientsCommand,
  },
  mail: {
    summary: 'inspect the mail outbox, retry, send a test',
    load: async () => (await import('./commands/mail.js')).mailCommand,
  },
  keys: {
    summary: 'inspect signing keys',
    load: async () => (await import('./commands/keys.js')).keysCommand,
  },
  token: {
    summary: 'decode or verify a JWT',
    load: async () => (await import('./commands/token.js')).tokenCommand,
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`);
  return [
    'Usage: tessera <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `tessera <command> --help` for its options.',
    'Exit status: 0 success, 1 failure (invalid token, not found…), 2 usage error, 78 configuration error.',
  ].join('\n');
}

/**
 * Runs `tessera <argv>` and resolves with its exit status; it never rejects and never exits the
 * process. Every failure ends as one line on stderr and an exit code (errors.ts): never a stack trace.
 * main.ts calls it for the real command; tests call it in-process.
 */
export async function runCli(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    const { exitCode, line } = describeFailure(error);
    process.stderr.write(`tessera: ${line}\n`);
    return exitCode;
  }
}

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (name === undefined) {
    process.stderr.write(`${usage()}\n`);
    return EXIT_USAGE;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    process.stderr.write(`tessera: unknown command "${name}" (run "tessera --help" for the list)\n`);
    return EXIT_USAGE;
  }
  return (await entry.load()).run(rest);
}
