import { deepFreeze } from '../token/deep-freeze.js';
import { readConfigFile } from './config-file.js';
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
  const path = options.file ?? env[CONFIG_FILE_VARIABLE];
  const source = options.file === undefined ? CONFIG_FILE_VARIABLE : '--config';
  const file = path === undefined || path === '' ? undefined : readConfigFile(path, source);
  const fields = resolveFields(env, file);
  checkCrossFieldRules(fields);
  // Copies throughout (spread above, fresh objects from the codecs): freezing never reaches the
  // caller's env or the shared defaults.
  return deepFreeze(assembleConfig(fields));
}
