import type { ConfigGroup } from './field-spec.js';
import { CONFIG_FILE_VARIABLE, FIELD_KEYS, SCHEMA } from './schema.js';

export interface ConfigVariableDescription {
  variable: string;
  /** Dotted path in Config and in the config file; null for TESSERA_CONFIG_FILE itself. */
  field: string | null;
  /** The default as it would be written in the environment; null when unset by default. */
  default: string | null;
  rule: string;
  /** What the setting does, one line of Markdown. */
  doc: string;
  group: ConfigGroup;
}

/** Every variable with its default, rule and doc, in schema order: the source of the README's config table. */
export function describeConfig(): ConfigVariableDescription[] {
  const rows: ConfigVariableDescription[] = FIELD_KEYS.map((key) => {
    const spec = SCHEMA[key];
    const format = spec.codec.format as (value: unknown) => string | null;
    return {
      variable: spec.variable,
      field: spec.field,
      default: spec.defaultText ?? format(spec.default),
      rule: spec.also === undefined ? spec.codec.rule : `${spec.codec.rule}; ${spec.also}`,
      doc: spec.doc,
      group: spec.group,
    };
  });
  rows.push({
    variable: CONFIG_FILE_VARIABLE,
    field: null,
    default: null,
    rule: 'path of a JSON file with the same field names as Config; environment variables override it',
    doc: 'path of a JSON file with these settings under their config-file field names; the environment wins over it',
    group: 'operations',
  });
  return rows;
}
