import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.js';
import { CONFIG_FILE_VARIABLE, FIELD_KEYS, SCHEMA } from './schema.js';
import { closestName } from './suggest.js';

/** The optional JSON config file: the same camelCase names and nesting as Config. */
export interface ConfigFile {
  readonly path: string;
  readonly values: Readonly<Record<string, unknown>>;
}

const FIELDS = FIELD_KEYS.map((key) => SCHEMA[key].field);
/** Top-level members that group nested fields ("lockout" for lockout.threshold, …). */
const GROUPS = new Set(FIELDS.filter((field) => field.includes('.')).map((field) => field.split('.')[0]!));
/** Groups whose Config type is nullable, so `null` in the file is meaningful. */
const NULLABLE_GROUPS = new Set(['bootstrapAdmin']);

function fileError(rule: string): ConfigError {
  return new ConfigError(CONFIG_FILE_VARIABLE, rule);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseFile(path: string): Record<string, unknown> {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw fileError(`could not read ${path} (${(error as NodeJS.ErrnoException).code ?? 'read error'})`);
  }
  let values: unknown;
  try {
    values = JSON.parse(source);
  } catch {
    // JSON.parse quotes the text near the fault, and the file may hold secrets: say only where.
    throw fileError(`${path} is not valid JSON`);
  }
  if (!isRecord(values)) throw fileError(`${path} must hold a JSON object`);
  return values;
}

/** A misspelt member would otherwise be ignored in silence and its default used: refuse it instead. */
function rejectUnknownMembers(
  path: string,
  values: Record<string, unknown>,
  fail: (rule: string) => ConfigError = fileError,
): void {
  const unknown = (name: string): ConfigError => {
    const suggestion = closestName(name, FIELDS);
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
    return fail(`unknown field "${name}" in ${path}${hint}`);
  };
  for (const [name, value] of Object.entries(values)) {
    if (!GROUPS.has(name)) {
      if (!FIELDS.includes(name)) throw unknown(name);
      continue;
    }
    if (value === null && NULLABLE_GROUPS.has(name)) continue;
    if (!isRecord(value)) throw fail(`field "${name}" in ${path} must be an object`);
    for (const member of Object.keys(value)) {
      if (!FIELDS.includes(`${name}.${member}`)) throw unknown(`${name}.${member}`);
    }
  }
}

export function readConfigFile(path: string): ConfigFile {
  const values = parseFile(path);
  rejectUnknownMembers(path, values);
  return { path, values };
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

/** The file's value for a dotted field, or undefined when the file does not set it. */
export function fileValue(file: ConfigFile | undefined, field: string): unknown {
  let value: unknown = file?.values;
  for (const name of field.split('.')) {
    if (!isRecord(value) || !Object.prototype.hasOwnProperty.call(value, name)) return undefined;
    value = value[name];
  }
  return value;
}
