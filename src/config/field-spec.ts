import { deepFreeze } from '../token/deep-freeze.js';
import type { Codec } from './codec.js';

/** The README's configuration table is split into these groups, in this order. */
export const CONFIG_GROUPS = {
  server: 'Listening and HTTP',
  storage: 'Storage and Redis',
  tokens: 'Tokens and keys',
  sessions: 'Sessions and cookies',
  abuse: 'Rate limits, lockout and passwords',
  mail: 'Mail',
  operations: 'Administration, logs and console',
} as const;

export type ConfigGroup = keyof typeof CONFIG_GROUPS;

/**
 * One row of the schema: where a value comes from, how it is read, what it must be, its default and
 * its line in the README. `F` is the config-file field, kept literal so Config's type can be derived.
 */
export interface FieldSpec<T, F extends string = string> {
  /** The environment variable; the single prefix is TESSERA_. */
  readonly variable: string;
  /** Where the value lives in Config and in the config file ("group.member" for nested members). */
  readonly field: F;
  readonly codec: Codec<T>;
  readonly default: NoInfer<T>;
  /** The default as the README shows it, when `codec.format(default)` would not say it. */
  readonly defaultText?: string;
  /** What the setting does, in one line of Markdown: the README table's "meaning" column. */
  readonly doc: string;
  /** The README table the row appears in. */
  readonly group: ConfigGroup;
  /** Never echoed in an error message: `(value hidden)` instead. */
  readonly secret?: boolean;
  /** A rule that involves another field, checked in cross-checks.ts; listed here for the docs. */
  readonly also?: string;
}

/** A schema row; its default is frozen, as the schema is shared by every load. */
export function spec<T, const F extends string>(row: FieldSpec<T, F>): FieldSpec<T, F> {
  return { ...row, default: deepFreeze(row.default) };
}
