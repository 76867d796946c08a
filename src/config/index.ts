/** tessera config — one schema, loaded from TESSERA_* variables plus an optional JSON file. */
export { ConfigError, isConfigError } from './config-error.js';
export { CONFIG_DEFAULTS, deriveIssuer, type ConfigDefaults } from './defaults.js';
export { describeConfig, type ConfigVariableDescription } from './describe-config.js';
export { loadConfig, type LoadConfigOptions } from './load-config.js';
export { CONFIG_GROUPS, type ConfigGroup, type FieldSpec } from './field-spec.js';
export { CONFIG_FILE_VARIABLE, SCHEMA } from './schema.js';
export type { Config, LoginMode, RateLimitRule, SameSite } from './types.js';
