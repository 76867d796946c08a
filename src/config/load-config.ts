import { deepFreeze } from '../token/deep-freeze.js';
import { readConfigFile, settingsAsConfigFile, type ConfigFile } from './config-file.js';
import { ConfigError } from './config-error.js';
import { checkCrossFieldRules } from './cross-checks.js';
import { deriveIssuer } from './defaults.js';
import { resolveFields, type ResolvedFields } from './resolve-fields.js';
import { CONFIG_FILE_VARIABLE } from './schema.js';
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

function assembleConfig(fields: ResolvedFields): Config {
  const value = <K extends keyof ResolvedFields>(key: K): ResolvedFields[K]['value'] => fields[key].value;
  const email = value('bootstrapAdminEmail');
  const password = value('bootstrapAdminPassword');
  return {
    host: value('host'),
    port: value('port'),
    issuer: value('issuer') ?? deriveIssuer(value('host'), value('port')),
    audience: value('audience'),
    databaseUrl: value('databaseUrl'),
    redisUrl: value('redisUrl'),
    redisPrefix: value('redisPrefix'),
    redisFailureMode: value('redisFailureMode'),
    algorithm: value('algorithm'),
    signingKeys: value('signingKeys'),
    accessTokenTtlSeconds: value('accessTokenTtlSeconds'),
    refreshTokenTtlSeconds: value('refreshTokenTtlSeconds'),
    refreshReuseGraceSeconds: value('refreshReuseGraceSeconds'),
    clockToleranceSeconds: value('clockToleranceSeconds'),
    keyRotationIntervalSeconds: value('keyRotationIntervalSeconds'),
    sessionIdleTimeoutSeconds: value('sessionIdleTimeoutSeconds'),
    sessionAbsoluteTimeoutSeconds: value('sessionAbsoluteTimeoutSeconds'),
    defaultLoginMode: value('defaultLoginMode'),
    strictMode: value('strictMode'),
    cookieMode: value('cookieMode'),
    cookieSameSite: value('cookieSameSite'),
    cookieSecure: value('cookieSecure'),
    corsOrigins: [...value('corsOrigins')],
    trustProxy: value('trustProxy'),
    console: value('console'),
    bodyLimitBytes: value('bodyLimitBytes'),
    headersTimeoutSeconds: value('headersTimeoutSeconds'),
    requestTimeoutSeconds: value('requestTimeoutSeconds'),
    keepAliveTimeoutSeconds: value('keepAliveTimeoutSeconds'),
    maxConnections: value('maxConnections'),
    rateLimits: {
      loginPerIp: { ...value('rateLimitLoginIp') },
      loginPerAccount: { ...value('rateLimitLoginAccount') },
      registerPerIp: { ...value('rateLimitRegisterIp') },
      refreshPerIp: { ...value('rateLimitRefreshIp') },
    },
    lockout: {
      threshold: value('lockoutThreshold'),
      baseSeconds: value('lockoutBaseSeconds'),
      maxSeconds: value('lockoutMaxSeconds'),
    },
    password: { minLength: value('passwordMinLength'), maxLength: value('passwordMaxLength') },
    bootstrapAdmin: email === null || password === null ? null : { email, password },
    logLevel: value('logLevel'),
    logFormat: value('logFormat'),
    masterKey: value('masterKey'),
    oauthClients: value('oauthClients').map((client) => ({ ...client })),
  };
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
  // Copies throughout (spread above, fresh objects from the codecs): freezing never reaches the
  // caller's env or the shared defaults.
  return deepFreeze(assembleConfig(fields));
}
