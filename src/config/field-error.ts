import { ConfigError } from './config-error.js';
import type { FieldKey } from './schema.js';
import { SCHEMA } from './schema.js';

export type Source = 'env' | 'file' | 'default';

/** A field's value together with where it came from, so an error can point at the right place. */
export interface Resolved<T> {
  readonly value: T;
  /** What was written (env string or file JSON), for the `(got …)` part of a message. */
  readonly input: unknown;
  readonly source: Source;
  /** "port in ./tessera.json" for file values; undefined otherwise. */
  readonly origin: string | undefined;
}

const MAX_SHOWN = 80;
// user:password@ inside any URL-looking value (database and Redis URLs carry credentials).
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^\s/@:"]*):[^\s/@"]*@/gi;

/** The `(got …)` text: JSON-quoted so it stays on one line, credentials masked, long values cut. */
export function showValue(input: unknown, secret: boolean | undefined): string {
  if (secret === true) return 'value hidden';
  const text = (JSON.stringify(input) ?? String(input)).replace(URL_CREDENTIALS, '$1:***@');
  return `got ${text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text}`;
}

export function fieldError(key: FieldKey, resolved: Resolved<unknown>, rule: string): ConfigError {
  const spec = SCHEMA[key];
  return new ConfigError(spec.variable, rule, {
    shown: showValue(resolved.input, spec.secret),
    origin: resolved.origin,
  });
}
