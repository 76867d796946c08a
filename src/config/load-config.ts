import { deepFreeze } from '../token/deep-freeze.js';
import { readConfigFile, settingsAsConfigFile, type ConfigFile } from './config-file.js';
import { ConfigError } from './config-error.js';
import { shapeConfig, type FieldValues } from './config-shape.js';
import { checkCrossFieldRules } from './cross-checks.js';
import { deriveIssuer } from './defaults.js';
import { resolveFields, type ResolvedFields } from './resolve-fields.js';
import { CONFIG_FILE_VARIABLE, FIELD_KEYS } from './schema.js';
import { rejectUnknownVariables } from './unknown-variables.js';
import type { Config } from './types.js';

export interface LoadConfigOptions {
  /** The environment to read; process.env by default (tests pass their own). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Path of a JSON config file; overrides TESSERA_CONFIG_FILE (a CLI `--config` flag passes it here). */
  file?: string;
  /**
   * Settings given in code instead of a file (embedding, `tessera({ config })`): camelCase names and
   * nesting as in the file, checked by the same rules; the environment still wins over them.
   */
  settings?: Readonly<Record<string, unknown>>;
}

/** How errors in settings given in code name their source. */
const SETTINGS_IN_CODE = 'config (settings given in code)';

/** Where the settings below the environment come from: code, or a file (never both). */
function readSettings(
  options: LoadConfigOptions,
  env: Readonly<Record<string, string | undefined>>,
): ConfigFile | undefined {
  const path = options.file ?? env[CONFIG_FILE_VARIABLE];
  const fromFile = path !== undefined && path !== '';
  if (options.settings !== undefined) {
    if (fromFile)
      throw new ConfigError(CONFIG_FILE_VARIABLE, 'a config file cannot be used with settings given in code');
    return settingsAsConfigFile(SETTINGS_IN_CODE, options.settings);
  }
  // Errors in a file named by --config blame --config, not a variable the operator never set.
  const source = options.file === undefined ? CONFIG_FILE_VARIABLE : '--config';
  return fromFile ? readConfigFile(path, source) : undefined;
}

/** Config's shape from the resolved fields, with the issuer derived from host and port and the public URL from the issuer when unset. */
function assembleConfig(fields: ResolvedFields): Config {
  const values = Object.fromEntries(FIELD_KEYS.map((key) => [key, fields[key].value])) as FieldValues;
  const shaped = shapeConfig(values);
  const issuer = shaped.issuer ?? deriveIssuer(shaped.host, shaped.port);
  return { ...shaped, issuer, publicUrl: shaped.publicUrl ?? issuer };
}

/**
 * Loads the configuration once, at start: environment over file over defaults, every field
 * validated, then deep-frozen so nothing downstream can change it. Throws ConfigError (one line,
 * naming the variable and the rule) on the first value that breaks a rule.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  rejectUnknownVariables(env);
  const file = readSettings(options, env);
  const fields = resolveFields(env, file);
  checkCrossFieldRules(fields);
  // assembleConfig copies every value: freezing never reaches the caller's objects or the shared defaults.
  return deepFreeze(assembleConfig(fields));
}
