import { deepFreeze } from '../token/deep-freeze.js';
import { shapeConfig, type FieldValues } from './config-shape.js';
import { FIELD_KEYS, SCHEMA } from './schema.js';
import type { Config } from './types.js';

/** The defaults, except `issuer` and `publicUrl`: null means "derive it" (the issuer from host and port, the public URL from the issuer). */
export type ConfigDefaults = Omit<Config, 'issuer' | 'publicUrl'> & { issuer: null; publicUrl: null };

const DEFAULT_VALUES = Object.fromEntries(FIELD_KEYS.map((key) => [key, SCHEMA[key].default])) as FieldValues;

/** Every default in Config's shape, read from the schema (schema.ts says why each one serves a laptop). */
export const CONFIG_DEFAULTS: Readonly<ConfigDefaults> = deepFreeze(
  shapeConfig(DEFAULT_VALUES) as ConfigDefaults,
);

/** The issuer when none is configured: the URL the server listens on. IPv6 literals need brackets (RFC 3986 §3.2.2). */
export function deriveIssuer(host: string, port: number): string {
  const literal = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${literal}:${port}`;
}
