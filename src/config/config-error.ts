/**
 * A configuration value broke its rule. Thrown once at start, before anything listens: a programmer
 * or operator error, never a client's, so it is not an AuthError (docs/architecture.md, "Errors").
 *
 * The message is one line, `<VARIABLE>: <rule> (got "<value>")`, so it reads well in a container
 * log. Secret values (keys, passwords) are replaced by `(value hidden)` before the message is built.
 */
export class ConfigError extends Error {
  /** The TESSERA_* variable at fault (TESSERA_CONFIG_FILE for problems with the file itself). */
  readonly variable: string;
  /** The rule the value broke, without the value: safe to log and to compare in tests. */
  readonly rule: string;

  constructor(
    variable: string,
    rule: string,
    options: { shown?: string; origin?: string; cause?: unknown } = {},
  ) {
    const where = options.origin === undefined ? variable : `${variable} (${options.origin})`;
    const shown = options.shown === undefined ? '' : ` (${options.shown})`;
    super(`${where}: ${rule}${shown}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConfigError';
    this.variable = variable;
    this.rule = rule;
  }
}

export function isConfigError(value: unknown): value is ConfigError {
  return value instanceof ConfigError;
}
