import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/** `--config <file>`: every command that opens the store takes it, as `tessera serve` does. */
export const CONFIG_OPTION = { config: { type: 'string' } } as const;
export const CONFIG_HELP =
  '  --config <file>    JSON config file (default: TESSERA_CONFIG_FILE); TESSERA_* variables win';

/** What parseCommand returns: named, so the declaration build can emit it (Node's own types are not exported). */
export type ParsedCommand<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O & typeof HELP_OPTION; allowPositionals: true; strict: true }>
>;

export interface CommandSpec<O extends OptionsConfig> {
  /** The command path as typed, e.g. "users add": for messages and the --help hint. */
  name: string;
  help: string;
  options: O;
  /** How many positional arguments the command takes. */
  positionals: { min: number; max: number; missing?: string };
}

/**
 * Parses one (sub)command's argv strictly: an unknown option or a wrong number of arguments is a
 * UsageError (exit 2). Returns undefined after printing the help when --help was given.
 */
export function parseCommand<const O extends OptionsConfig>(
  argv: string[],
  spec: CommandSpec<O>,
): ParsedCommand<O> | undefined {
  let parsed: ParsedCommand<O>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...spec.options, ...HELP_OPTION },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error), spec.name);
  }
  if ((parsed.values as { help?: boolean }).help === true) {
    process.stdout.write(`${spec.help}\n`);
    return undefined;
  }
  const count = parsed.positionals.length;
  if (count < spec.positionals.min)
    throw new UsageError(spec.positionals.missing ?? 'missing argument', spec.name);
  if (count > spec.positionals.max) {
    throw new UsageError(`unexpected argument "${parsed.positionals[spec.positionals.max]}"`, spec.name);
  }
  return parsed;
}

/** A whole number within bounds, from an option value. */
export function parseInteger(
  value: string,
  option: string,
  command: string,
  min: number,
  max: number,
): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`${option} must be a whole number from ${min} to ${max}`, command);
  }
  return number;
}

// Node's messages run on with advice in its own words: keep the first sentence. Ids are base64url and
// one in 32 starts with '-', which reads as an option: say so, and how to pass it (after `--`).
function parseArgsMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const first = message.split(/\.\s/, 1)[0]!.replace(/\.$/, '');
  const hint =
    (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
      ? "; an argument that starts with '-' (an id) goes after --, as in: -- -abc"
      : '';
  return first.charAt(0).toLowerCase() + first.slice(1) + hint;
}
