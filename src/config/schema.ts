import { MAX_CLOCK_TOLERANCE_SECONDS } from '../token/claims.js';
import { jwsAlgorithm } from './algorithm-codec.js';
import type { Codec } from './codec.js';
import { nullable } from './codec.js';
import { email, masterKey, password } from './credential-codecs.js';
import { CONFIG_DEFAULTS as D } from './defaults.js';
import { oauthClients } from './oauth-clients-codec.js';
import { rateLimit } from './rate-limit-codec.js';
import { boolean, byteSize, duration, integer, oneOf, text } from './scalar-codecs.js';
import { signingKeys } from './signing-keys-codec.js';
import { databaseUrl, host, issuerUrl, originList, redisUrl } from './url-codecs.js';

/** One row of the schema: where a value comes from, how it is read, what it must be. */
export interface FieldSpec<T> {
  /** The environment variable; the single prefix is TESSERA_. */
  readonly variable: string;
  /** Where the value lives in the config file (dotted for nested members). */
  readonly field: string;
  readonly codec: Codec<T>;
  readonly default: T;
  /** The default as the README shows it, when `codec.format(default)` would not say it. */
  readonly defaultText?: string;
  /** Never echoed in an error message: `(value hidden)` instead. */
  readonly secret?: boolean;
  /** A rule that involves another field, checked in cross-checks.ts; listed here for the docs. */
  readonly also?: string;
}

function spec<T>(row: FieldSpec<T>): FieldSpec<T> {
  return row;
}

const DAY = 86_400;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['auto', 'json', 'text'] as const;
const NON_EMPTY = text('must be a non-empty string', (value) => value.trim() !== '');

/**
 * THE configuration schema: every variable Tessera reads, its parser, its rule and its default.
 * load-config.ts walks it, describe-config.ts prints it, nothing else lists variables.
 */
export const SCHEMA = {
  host: spec({ variable: 'TESSERA_HOST', field: 'host', codec: host, default: D.host }),
  port: spec({ variable: 'TESSERA_PORT', field: 'port', codec: integer(0, 65_535), default: D.port }),
  issuer: spec({
    variable: 'TESSERA_ISSUER',
    field: 'issuer',
    codec: nullable(issuerUrl),
    default: D.issuer,
    defaultText: 'http://<host>:<port>',
  }),
  audience: spec({ variable: 'TESSERA_AUDIENCE', field: 'audience', codec: NON_EMPTY, default: D.audience }),
  databaseUrl: spec({
    variable: 'TESSERA_DATABASE_URL',
    field: 'databaseUrl',
    codec: databaseUrl,
    default: D.databaseUrl,
  }),
  redisUrl: spec({
    variable: 'TESSERA_REDIS_URL',
    field: 'redisUrl',
    codec: nullable(redisUrl),
    default: D.redisUrl,
  }),
  redisPrefix: spec({
    variable: 'TESSERA_REDIS_PREFIX',
    field: 'redisPrefix',
    // Goes after "tessera:" in every key and channel: a second deployment (or a test) on the same Redis
    // picks its own, e.g. "staging:". Empty by default.
    codec: text('must be 1-64 characters: letters, digits, and : _ - .', (value) =>
      /^[A-Za-z0-9:_.-]{1,64}$/.test(value),
    ),
    default: D.redisPrefix,
  }),
  redisFailureMode: spec({
    variable: 'TESSERA_REDIS_FAILURE_MODE',
    field: 'redisFailureMode',
    codec: oneOf(['closed', 'open']),
    default: D.redisFailureMode,
  }),
  algorithm: spec({
    variable: 'TESSERA_ALGORITHM',
    field: 'algorithm',
    codec: jwsAlgorithm,
    default: D.algorithm,
  }),
  signingKeys: spec({
    variable: 'TESSERA_SIGNING_KEYS',
    field: 'signingKeys',
    codec: nullable(signingKeys),
    default: D.signingKeys,
    secret: true,
    also: 'at least one key must suit TESSERA_ALGORITHM',
  }),
  accessTokenTtlSeconds: spec({
    variable: 'TESSERA_ACCESS_TOKEN_TTL',
    field: 'accessTokenTtlSeconds',
    codec: duration(1, DAY),
    default: D.accessTokenTtlSeconds,
  }),
  refreshTokenTtlSeconds: spec({
    variable: 'TESSERA_REFRESH_TOKEN_TTL',
    field: 'refreshTokenTtlSeconds',
    codec: duration(1),
    default: D.refreshTokenTtlSeconds,
    also: 'greater than TESSERA_ACCESS_TOKEN_TTL',
  }),
  refreshReuseGraceSeconds: spec({
    variable: 'TESSERA_REFRESH_REUSE_GRACE',
    field: 'refreshReuseGraceSeconds',
    codec: duration(0, 300),
    default: D.refreshReuseGraceSeconds,
  }),
  clockToleranceSeconds: spec({
    variable: 'TESSERA_CLOCK_TOLERANCE',
    field: 'clockToleranceSeconds',
    codec: duration(0, MAX_CLOCK_TOLERANCE_SECONDS),
    default: D.clockToleranceSeconds,
  }),
  keyRotationIntervalSeconds: spec({
    variable: 'TESSERA_KEY_ROTATION_INTERVAL',
    field: 'keyRotationIntervalSeconds',
    // 0 = manual rotation only (`tessera keys rotate`).
    codec: duration(0, 3650 * DAY),
    default: D.keyRotationIntervalSeconds,
    defaultText: '0 (off)',
  }),
  sessionIdleTimeoutSeconds: spec({
    variable: 'TESSERA_SESSION_IDLE_TIMEOUT',
    field: 'sessionIdleTimeoutSeconds',
    codec: duration(1),
    default: D.sessionIdleTimeoutSeconds,
    also: 'at most TESSERA_SESSION_ABSOLUTE_TIMEOUT',
  }),
  sessionAbsoluteTimeoutSeconds: spec({
    variable: 'TESSERA_SESSION_ABSOLUTE_TIMEOUT',
    field: 'sessionAbsoluteTimeoutSeconds',
    codec: duration(1),
    default: D.sessionAbsoluteTimeoutSeconds,
  }),
  defaultLoginMode: spec({
    variable: 'TESSERA_DEFAULT_LOGIN_MODE',
    field: 'defaultLoginMode',
    codec: oneOf(['jwt', 'session']),
    default: D.defaultLoginMode,
  }),
  strictMode: spec({
    variable: 'TESSERA_STRICT_MODE',
    field: 'strictMode',
    codec: boolean,
    default: D.strictMode,
  }),
  cookieMode: spec({
    variable: 'TESSERA_COOKIE_MODE',
    field: 'cookieMode',
    codec: boolean,
    default: D.cookieMode,
  }),
  cookieSameSite: spec({
    variable: 'TESSERA_COOKIE_SAMESITE',
    field: 'cookieSameSite',
    codec: oneOf(['strict', 'lax']),
    default: D.cookieSameSite,
  }),
  cookieSecure: spec({
    variable: 'TESSERA_COOKIE_SECURE',
    field: 'cookieSecure',
    codec: oneOf(['auto', 'always', 'never']),
    default: D.cookieSecure,
  }),
  corsOrigins: spec({
    variable: 'TESSERA_CORS_ORIGINS',
    field: 'corsOrigins',
    codec: originList,
    default: D.corsOrigins,
    also: 'not * when TESSERA_COOKIE_MODE is on',
  }),
  trustProxy: spec({
    variable: 'TESSERA_TRUST_PROXY',
    field: 'trustProxy',
    codec: boolean,
    default: D.trustProxy,
  }),
  console: spec({
    variable: 'TESSERA_CONSOLE',
    field: 'console',
    codec: boolean,
    default: D.console,
  }),
  bodyLimitBytes: spec({
    variable: 'TESSERA_BODY_LIMIT',
    field: 'bodyLimitBytes',
    codec: byteSize(1024, 10 * 1024 * 1024),
    default: D.bodyLimitBytes,
  }),
  headersTimeoutSeconds: spec({
    variable: 'TESSERA_HEADERS_TIMEOUT',
    field: 'headersTimeoutSeconds',
    codec: duration(1, 3600),
    default: D.headersTimeoutSeconds,
    also: 'at most TESSERA_REQUEST_TIMEOUT',
  }),
  requestTimeoutSeconds: spec({
    variable: 'TESSERA_REQUEST_TIMEOUT',
    field: 'requestTimeoutSeconds',
    codec: duration(1, 3600),
    default: D.requestTimeoutSeconds,
  }),
  keepAliveTimeoutSeconds: spec({
    variable: 'TESSERA_KEEP_ALIVE_TIMEOUT',
    field: 'keepAliveTimeoutSeconds',
    codec: duration(1, 3600),
    default: D.keepAliveTimeoutSeconds,
  }),
  maxConnections: spec({
    variable: 'TESSERA_MAX_CONNECTIONS',
    field: 'maxConnections',
    codec: integer(1, 1_000_000),
    default: D.maxConnections,
  }),
  rateLimitLoginIp: spec({
    variable: 'TESSERA_RATE_LIMIT_LOGIN_IP',
    field: 'rateLimits.loginPerIp',
    codec: rateLimit,
    default: D.rateLimits.loginPerIp,
  }),
  rateLimitLoginAccount: spec({
    variable: 'TESSERA_RATE_LIMIT_LOGIN_ACCOUNT',
    field: 'rateLimits.loginPerAccount',
    codec: rateLimit,
    default: D.rateLimits.loginPerAccount,
  }),
  rateLimitRegisterIp: spec({
    variable: 'TESSERA_RATE_LIMIT_REGISTER_IP',
    field: 'rateLimits.registerPerIp',
    codec: rateLimit,
    default: D.rateLimits.registerPerIp,
  }),
  rateLimitRefreshIp: spec({
    variable: 'TESSERA_RATE_LIMIT_REFRESH_IP',
    field: 'rateLimits.refreshPerIp',
    codec: rateLimit,
    default: D.rateLimits.refreshPerIp,
  }),
  lockoutThreshold: spec({
    variable: 'TESSERA_LOCKOUT_THRESHOLD',
    field: 'lockout.threshold',
    codec: integer(1, 1000),
    default: D.lockout.threshold,
  }),
  lockoutBaseSeconds: spec({
    variable: 'TESSERA_LOCKOUT_BASE',
    field: 'lockout.baseSeconds',
    codec: duration(1, DAY),
    default: D.lockout.baseSeconds,
    also: 'at most TESSERA_LOCKOUT_MAX',
  }),
  lockoutMaxSeconds: spec({
    variable: 'TESSERA_LOCKOUT_MAX',
    field: 'lockout.maxSeconds',
    codec: duration(1, 30 * DAY),
    default: D.lockout.maxSeconds,
  }),
  passwordMinLength: spec({
    variable: 'TESSERA_PASSWORD_MIN_LENGTH',
    field: 'password.minLength',
    codec: integer(8, 1024, ' (NIST SP 800-63B: at least 8)'),
    default: D.password.minLength,
    also: 'at most TESSERA_PASSWORD_MAX_LENGTH',
  }),
  passwordMaxLength: spec({
    variable: 'TESSERA_PASSWORD_MAX_LENGTH',
    field: 'password.maxLength',
    codec: integer(64, 1024, ' (NIST SP 800-63B: allow at least 64)'),
    default: D.password.maxLength,
  }),
  bootstrapAdminEmail: spec({
    variable: 'TESSERA_BOOTSTRAP_ADMIN_EMAIL',
    field: 'bootstrapAdmin.email',
    codec: nullable(email),
    default: null,
    also: 'set together with TESSERA_BOOTSTRAP_ADMIN_PASSWORD',
  }),
  bootstrapAdminPassword: spec({
    variable: 'TESSERA_BOOTSTRAP_ADMIN_PASSWORD',
    field: 'bootstrapAdmin.password',
    codec: nullable(password),
    default: null,
    secret: true,
    also: 'set together with TESSERA_BOOTSTRAP_ADMIN_EMAIL; within the password length limits',
  }),
  logLevel: spec({
    variable: 'TESSERA_LOG_LEVEL',
    field: 'logLevel',
    codec: oneOf(LOG_LEVELS),
    default: D.logLevel,
  }),
  logFormat: spec({
    variable: 'TESSERA_LOG_FORMAT',
    field: 'logFormat',
    codec: oneOf(LOG_FORMATS),
    default: D.logFormat,
  }),
  masterKey: spec({
    variable: 'TESSERA_MASTER_KEY',
    field: 'masterKey',
    codec: nullable(masterKey),
    default: D.masterKey,
    secret: true,
  }),
  oauthClients: spec({
    variable: 'TESSERA_OAUTH_CLIENTS',
    field: 'oauthClients',
    codec: oauthClients,
    default: D.oauthClients,
    defaultText: '(none)',
    secret: true,
  }),
};

export type FieldKey = keyof typeof SCHEMA;
export type FieldValue<K extends FieldKey> = (typeof SCHEMA)[K] extends FieldSpec<infer T> ? T : never;

/** Names the config file; read by the loader itself, so it is not a schema row. */
export const CONFIG_FILE_VARIABLE = 'TESSERA_CONFIG_FILE';
export const ENV_PREFIX = 'TESSERA_';

export const FIELD_KEYS = Object.keys(SCHEMA) as FieldKey[];
