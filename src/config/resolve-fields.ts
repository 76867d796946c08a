import { InvalidValue } from './codec.js';
import { fileValue, type ConfigFile } from './config-file.js';
import { fieldError, type Resolved } from './field-error.js';
import { FIELD_KEYS, SCHEMA, type FieldKey, type FieldValue } from './schema.js';

export type ResolvedFields = { readonly [K in FieldKey]: Resolved<FieldValue<K>> };

/** One field: the environment wins over the file, the file over the default. */
function resolveField(
  key: FieldKey,
  env: Readonly<Record<string, string | undefined>>,
  file: ConfigFile | undefined,
): Resolved<unknown> {
  const spec = SCHEMA[key];
  const fromEnv = env[spec.variable];
  const fromFile = fileValue(file, spec.field);
  if (fromEnv === undefined && fromFile === undefined) {
    return { value: spec.default, input: spec.default, source: 'default', origin: undefined };
  }
  const resolved =
    fromEnv !== undefined
      ? { input: fromEnv, source: 'env' as const, origin: undefined }
      : { input: fromFile, source: 'file' as const, origin: `${spec.field} in ${file!.path}` };
  try {
    return { ...resolved, value: spec.codec.parse(resolved.input) };
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    throw fieldError(key, { ...resolved, value: undefined }, error.rule ?? spec.codec.rule);
  }
}

/** Parses every schema field, in schema order; the first invalid one throws its ConfigError. */
export function resolveFields(
  env: Readonly<Record<string, string | undefined>>,
  file: ConfigFile | undefined,
): ResolvedFields {
  const fields: Partial<Record<FieldKey, Resolved<unknown>>> = {};
  for (const key of FIELD_KEYS) fields[key] = resolveField(key, env, file);
  return fields as ResolvedFields;
}
