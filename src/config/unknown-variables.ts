import { ConfigError } from './config-error.js';
import { CONFIG_FILE_VARIABLE, ENV_PREFIX, FIELD_KEYS, SCHEMA } from './schema.js';
import { closestName } from './suggest.js';

const KNOWN = [...FIELD_KEYS.map((key) => SCHEMA[key].variable), CONFIG_FILE_VARIABLE];

/**
 * Every TESSERA_* variable must be one Tessera reads: a typo (TESSERA_ACCES_TOKEN_TTL) would
 * otherwise leave the default in force without a word. The value is never shown: it may be a secret.
 */
export function rejectUnknownVariables(env: Readonly<Record<string, string | undefined>>): void {
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(ENV_PREFIX) || KNOWN.includes(name) || env[name] === undefined) continue;
    const suggestion = closestName(name, KNOWN, ENV_PREFIX);
    throw new ConfigError(
      name,
      suggestion === undefined ? 'unknown variable' : `unknown variable (did you mean ${suggestion}?)`,
    );
  }
}
