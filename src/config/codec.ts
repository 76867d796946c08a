/**
 * How one field reads its value. A value comes either as an environment string or as a JSON value
 * from the config file, so every codec accepts both (a port can be "3000" or 3000).
 */
export interface Codec<T> {
  /** The rule in words: the tail of every error message for this field, and the README text. */
  readonly rule: string;
  /** Turns an input into the typed value; throws InvalidValue when the input breaks the rule. */
  parse(input: unknown): T;
  /** The value as an environment variable would carry it (README defaults); null for "unset". */
  format(value: T): string | null;
}

/**
 * Thrown by a codec; the loader adds the variable name and the (possibly hidden) value. `rule`
 * replaces the codec's own rule when a more precise sentence helps ("could not read the file").
 */
export class InvalidValue extends Error {
  readonly rule: string | undefined;

  constructor(rule?: string) {
    super(rule ?? 'invalid value');
    this.name = 'InvalidValue';
    this.rule = rule;
  }
}

/**
 * A field that may be absent. An empty environment value means "none" (so a variable can switch off
 * what the file set), as does JSON null in the file.
 */
export function nullable<T>(codec: Codec<T>): Codec<T | null> {
  return {
    rule: codec.rule,
    parse: (input) => (input === null || input === '' ? null : codec.parse(input)),
    format: (value) => (value === null ? null : codec.format(value)),
  };
}
