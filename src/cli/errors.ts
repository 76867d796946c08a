import { isConfigError } from '../config/index.js';
import { isAuthError } from '../errors.js';
import { TokenError } from '../token/errors.js';

/*
 * Exit codes (sysexits.h where one fits; success is 0): scripts branch on these, so they never change
 * meaning.
 */
/** The command ran and the answer is "no": invalid token, no such user, e-mail taken, store error. */
export const EXIT_FAILURE = 1;
/** The command line itself is wrong: unknown command or option, missing argument. */
export const EXIT_USAGE = 2;
/** Interrupted at a prompt (Ctrl-C): 128 + SIGINT, as shells report it. */
export const EXIT_INTERRUPTED = 130;
/** EX_CONFIG: a TESSERA_* variable or the config file broke a rule. */
export const EXIT_CONFIG = 78;

/** The command line is wrong. `command` names the (sub)command so the hint points at the right --help. */
export class UsageError extends Error {
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/** Ctrl-C at a prompt: not a failure worth a message. */
export class InterruptedError extends Error {
  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}

/**
 * The exit code and the ONE line (without the `tessera: ` prefix) for an error that ended a command.
 * Never a stack trace: domain errors carry messages written for people, and anything else is reduced
 * to its first line.
 */
export function describeFailure(error: unknown): { exitCode: number; line: string } {
  if (error instanceof UsageError) {
    const hint = `run "tessera${error.command === undefined ? '' : ` ${error.command}`} --help" for usage`;
    return { exitCode: EXIT_USAGE, line: `${prefix(error.command)}${error.message} (${hint})` };
  }
  // serve parses with node:util directly; its refusals are usage errors too.
  if (isParseArgsError(error)) return { exitCode: EXIT_USAGE, line: firstLine(error.message) };
  if (error instanceof InterruptedError) return { exitCode: EXIT_INTERRUPTED, line: 'interrupted' };
  if (isConfigError(error)) return { exitCode: EXIT_CONFIG, line: `configuration error: ${error.message}` };
  if (error instanceof TokenError) {
    return { exitCode: EXIT_FAILURE, line: `invalid token: ${error.code}: ${firstLine(error.message)}` };
  }
  if (isAuthError(error))
    return { exitCode: EXIT_FAILURE, line: `${error.code}: ${firstLine(error.message)}` };
  if (error instanceof Error) return { exitCode: EXIT_FAILURE, line: firstLine(error.message) };
  return { exitCode: EXIT_FAILURE, line: firstLine(String(error)) };
}

/** node:util parseArgs refuses a command line with a TypeError whose code starts ERR_PARSE_ARGS_. */
function isParseArgsError(error: unknown): error is TypeError {
  return (
    error instanceof TypeError && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')
  );
}

function prefix(command: string | undefined): string {
  return command === undefined ? '' : `${command}: `;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]!.trim();
  return line === '' ? 'failed' : line;
}
