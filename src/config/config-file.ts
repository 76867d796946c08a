import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.js';
import { CONFIG_FILE_VARIABLE, FIELD_KEYS, NULLABLE_GROUPS, SCHEMA } from './schema.js';
import { closestName } from './suggest.js';

/** The optional JSON config file: the same camelCase names and nesting as Config. */
export interface ConfigFile {
  readonly path: string;
  readonly values: Readonly<Record<string, unknown>>;
}

const FIELDS: readonly string[] = FIELD_KEYS.map((key) => SCHEMA[key].field);
/** Top-level members that group nested fields ("lockout" for lockout.threshold, …). */
const GROUPS = new Set(FIELDS.filter((field) => field.includes('.')).map((field) => field.split('.')[0]!));
/** Groups whose Config type is nullable, so `null` in the file is meaningful. */
const NULLABLE = new Set<string>(NULLABLE_GROUPS);

/**
 * How the file was named, for its errors: `--config` when the command line gave it, else the variable.
 * Blaming TESSERA_CONFIG_FILE for a file passed with --config sent operators to a variable they never set.
 */
export type ConfigFileSource = typeof CONFIG_FILE_VARIABLE | '--config';

function fileError(source: ConfigFileSource, rule: string): ConfigError {
  return new ConfigError(source, rule);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseFile(path: string, source: ConfigFileSource): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw fileError(
      source,
      `could not read ${path} (${(error as NodeJS.ErrnoException).code ?? 'read error'})`,
    );
  }
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text near the fault, and the file may hold secrets: say only where.
    throw fileError(source, `${path} is not valid JSON`);
  }
  if (!isRecord(values)) throw fileError(source, `${path} must hold a JSON object`);
  return values;
}

/** Lower case without separators: `database_url`, `DATABASE-URL` and `databaseUrl` compare equal. */
function squash(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/**
 * The field an unknown name most likely meant: the field of an environment variable written as a
 * name (TESSERA_PORT, PORT), the field the name spells in another case or abbreviates
 * (access_token_ttl, accessTokenTtl for accessTokenTtlSeconds), else the nearest by edit distance.
 */
function suggestField(name: string): string | undefined {
  const upper = name.toUpperCase();
  const byVariable = FIELD_KEYS.find((key) => [upper, `TESSERA_${upper}`].includes(SCHEMA[key].variable));
  if (byVariable !== undefined) return SCHEMA[byVariable].field;
  const wanted = squash(name);
  const spelled = FIELDS.filter((field) => squash(field).startsWith(wanted));
  if (wanted.length >= 4 && spelled.length === 1) return spelled[0];
  return closestName(name, FIELDS);
}

/** A misspelt member would otherwise be ignored in silence and its default used: refuse it instead. */
function rejectUnknownMembers(
  path: string,
  values: Record<string, unknown>,
  fail: (rule: string) => ConfigError,
): void {
  const unknown = (name: string): ConfigError => {
    const suggestion = suggestField(name);
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
    return fail(`unknown field "${name}" in ${path}${hint}`);
  };
  for (const [name, value] of Object.entries(values)) {
    if (!GROUPS.has(name)) {
      if (!FIELDS.includes(name)) throw unknown(name);
      continue;
    }
    if (value === null && NULLABLE.has(name)) continue;
    if (!isRecord(value)) throw fail(`field "${name}" in ${path} must be an object`);
    for (const member of Object.keys(value)) {
      if (!FIELDS.includes(`${name}.${member}`)) throw unknown(`${name}.${member}`);
    }
  }
}

export function readConfigFile(path: string, source: ConfigFileSource = CONFIG_FILE_VARIABLE): ConfigFile {
  const values = parseFile(path, source);
  rejectUnknownMembers(path, values, (rule) => fileError(source, rule));
  return { path, values };
}

/** The file's value for a dotted field, or undefined when the file does not set it. */
export function fileValue(file: ConfigFile | undefined, field: string): unknown {
  let value: unknown = file?.values;
  for (const name of field.split('.')) {
    if (!isRecord(value) || !Object.prototype.hasOwnProperty.call(value, name)) return undefined;
    value = value[name];
  }
  return value;
}

/**
 * Settings given in code (an embedding host's `tessera({ config })`): the same names, nesting and
 * rules as the file, so they go through the same checks. `source` names them in error messages, in
 * place of TESSERA_CONFIG_FILE, which has nothing to do with them.
 */
export function settingsAsConfigFile(source: string, values: unknown): ConfigFile {
  const fail = (rule: string) => new ConfigError(source, rule);
  if (!isRecord(values)) throw fail('must be an object');
  rejectUnknownMembers('the settings', values, fail);
  return { path: source, values };
}
