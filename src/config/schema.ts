import { MAX_CLOCK_TOLERANCE_SECONDS } from '../token/claims.js';
import { jwsAlgorithm } from './algorithm-codec.js';
import { nullable } from './codec.js';
import { email, masterKey, password } from './credential-codecs.js';
import { spec, type FieldSpec } from './field-spec.js';
import { oauthClients } from './oauth-clients-codec.js';
import { rateLimit } from './rate-limit-codec.js';
import { boolean, byteSize, duration, integer, oneOf, text } from './scalar-codecs.js';
import { signingKeys } from './signing-keys-codec.js';
import { relyingPartyId, webauthnOrigins } from './webauthn-codecs.js';
import { databaseUrl, host, issuerUrl, originList, redisUrl } from './url-codecs.js';

const DAY = 86_400;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['auto', 'json', 'text'] as const;
const NON_EMPTY = text('must be a non-empty string', (value) => value.trim() !== '');

/**
 * THE configuration schema: every variable Tessera reads, its config-file field, its parser and rule,
 * its default and its line in the README. Config's type is derived from it (config-shape.ts),
 * load-config.ts walks it, defaults.ts and describe-config.ts read it, and the README's table is
 * generated from it (`npm run docs:config`); nothing else lists variables. Defaults serve a laptop
 * (DESIGN.md "Configuration"): loopback only, SQLite in ./data, no Redis, ES256, 15-minute access
 * tokens and 30-day refresh tokens; nothing here is a secret, so nothing here needs changing to be safe.
 */
export const SCHEMA = {
  host: spec({
    variable: 'TESSERA_HOST',
    field: 'host',
    doc: 'the host name or IP address to listen on',
    group: 'server',
    codec: host,
    default: '127.0.0.1',
  }),
  port: spec({
    variable: 'TESSERA_PORT',
    field: 'port',
    doc: 'the port to listen on',
    group: 'server',
    codec: integer(0, 65_535),
    default: 3000,
  }),
  issuer: spec({
    variable: 'TESSERA_ISSUER',
    field: 'issuer',
    doc: '`iss` of issued tokens',
    group: 'tokens',
    codec: nullable(issuerUrl),
    default: null,
    defaultText: 'http://<host>:<port>',
  }),
  publicUrl: spec({
    variable: 'TESSERA_PUBLIC_URL',
    field: 'publicUrl',
    doc: 'the address users reach Tessera at: links in e-mails and the console are built from it',
    group: 'server',
    codec: nullable(issuerUrl),
    default: null,
    defaultText: 'the issuer',
  }),
  webauthnRpId: spec({
    variable: 'TESSERA_WEBAUTHN_RP_ID',
    field: 'webauthn.rpId',
    doc: 'the WebAuthn relying-party ID passkeys are bound to: a domain name (not an IP address)',
    group: 'server',
    codec: nullable(relyingPartyId),
    default: null,
    defaultText: 'the host name of the public URL',
    also: 'every passkey origin must be on it or a subdomain',
  }),
  webauthnRpName: spec({
    variable: 'TESSERA_WEBAUTHN_RP_NAME',
    field: 'webauthn.rpName',
    doc: 'the name a browser shows when it creates a passkey',
    group: 'server',
    codec: NON_EMPTY,
    default: 'Tessera',
  }),
  webauthnOrigins: spec({
    variable: 'TESSERA_WEBAUTHN_ORIGINS',
    field: 'webauthn.origins',
    doc: 'comma-separated origins whose pages may register and use passkeys',
    group: 'server',
    codec: nullable(webauthnOrigins),
    default: null,
    defaultText: 'the origin of the public URL',
  }),
  audience: spec({
    variable: 'TESSERA_AUDIENCE',
    field: 'audience',
    doc: '`aud` of access tokens, required by `/api/*`',
    group: 'tokens',
    codec: NON_EMPTY,
    default: 'tessera',
  }),
  databaseUrl: spec({
    variable: 'TESSERA_DATABASE_URL',
    field: 'databaseUrl',
    doc: 'the store: `sqlite:<path>`, `sqlite::memory:` or `postgres://user@host:5432/db`',
    group: 'storage',
    codec: databaseUrl,
    default: 'sqlite:./data/tessera.db',
  }),
  redisUrl: spec({
    variable: 'TESSERA_REDIS_URL',
    field: 'redisUrl',
    doc: '`redis://host:6379`: shared rate limits, session cache, revocation fan-out',
    group: 'storage',
    codec: nullable(redisUrl),
    default: null,
  }),
  redisPrefix: spec({
    variable: 'TESSERA_REDIS_PREFIX',
    field: 'redisPrefix',
    // Goes after "tessera:" in every key and channel: a second deployment (or a test) on the same Redis
    // picks its own, e.g. "staging:". Empty by default.
    doc: 'namespace after `tessera:` in Redis keys and channels (several deployments on one Redis)',
    group: 'storage',
    codec: text('must be 1-64 characters: letters, digits, and : _ - .', (value) =>
      /^[A-Za-z0-9:_.-]{1,64}$/.test(value),
    ),
    default: '',
  }),
  redisFailureMode: spec({
    variable: 'TESSERA_REDIS_FAILURE_MODE',
    field: 'redisFailureMode',
    doc: 'strict mode while Redis is down: `closed` answers 503, `open` falls back to reading the store',
    group: 'storage',
    codec: oneOf(['closed', 'open']),
    default: 'closed',
  }),
  algorithm: spec({
    variable: 'TESSERA_ALGORITHM',
    field: 'algorithm',
    doc: 'signing algorithm of generated keys',
    group: 'tokens',
    codec: jwsAlgorithm,
    default: 'ES256',
  }),
  signingKeys: spec({
    variable: 'TESSERA_SIGNING_KEYS',
    field: 'signingKeys',
    doc: 'private keys: a JWK Set or PEM blocks (inline or `@/path/file`); once set, Tessera signs with these and generates none',
    group: 'tokens',
    codec: nullable(signingKeys),
    default: null,
    secret: true,
    also: 'at least one key must suit TESSERA_ALGORITHM',
  }),
  accessTokenTtlSeconds: spec({
    variable: 'TESSERA_ACCESS_TOKEN_TTL',
    field: 'accessTokenTtlSeconds',
    doc: 'access-token lifetime',
    group: 'tokens',
    codec: duration(1, DAY),
    default: 900,
  }),
  refreshTokenTtlSeconds: spec({
    variable: 'TESSERA_REFRESH_TOKEN_TTL',
    field: 'refreshTokenTtlSeconds',
    doc: 'how long a login (its refresh-token family) lasts',
    group: 'tokens',
    codec: duration(1),
    default: 2_592_000,
    also: 'greater than TESSERA_ACCESS_TOKEN_TTL',
  }),
  refreshReuseGraceSeconds: spec({
    variable: 'TESSERA_REFRESH_REUSE_GRACE',
    field: 'refreshReuseGraceSeconds',
    doc: 'grace window for presenting a used refresh token again',
    group: 'tokens',
    codec: duration(0, 300),
    default: 10,
  }),
  clockToleranceSeconds: spec({
    variable: 'TESSERA_CLOCK_TOLERANCE',
    field: 'clockToleranceSeconds',
    doc: 'allowed clock skew (0–300 s)',
    group: 'tokens',
    codec: duration(0, MAX_CLOCK_TOLERANCE_SECONDS),
    default: 30,
  }),
  keyRotationIntervalSeconds: spec({
    variable: 'TESSERA_KEY_ROTATION_INTERVAL',
    field: 'keyRotationIntervalSeconds',
    // 0 = manual rotation only (`tessera keys rotate`).
    doc: 'automatic key rotation: a new signing key once the current one is this old (e.g. `30d`); 0 = manual only',
    group: 'tokens',
    codec: duration(0, 3650 * DAY),
    default: 0,
    defaultText: '0 (off)',
  }),
  sessionIdleTimeoutSeconds: spec({
    variable: 'TESSERA_SESSION_IDLE_TIMEOUT',
    field: 'sessionIdleTimeoutSeconds',
    doc: 'session mode: a session unused this long ends',
    group: 'sessions',
    codec: duration(1),
    default: 1800,
    also: 'at most TESSERA_SESSION_ABSOLUTE_TIMEOUT',
  }),
  sessionAbsoluteTimeoutSeconds: spec({
    variable: 'TESSERA_SESSION_ABSOLUTE_TIMEOUT',
    field: 'sessionAbsoluteTimeoutSeconds',
    doc: 'session mode: a session ends this long after login, used or not',
    group: 'sessions',
    codec: duration(1),
    default: 604_800,
  }),
  defaultLoginMode: spec({
    variable: 'TESSERA_DEFAULT_LOGIN_MODE',
    field: 'defaultLoginMode',
    doc: '`jwt` (access + refresh token) or `session` (opaque session token)',
    group: 'sessions',
    codec: oneOf(['jwt', 'session']),
    default: 'jwt',
  }),
  strictMode: spec({
    variable: 'TESSERA_STRICT_MODE',
    field: 'strictMode',
    doc: 'check the session on every request (immediate logout)',
    group: 'sessions',
    codec: boolean,
    default: false,
  }),
  cookieMode: spec({
    variable: 'TESSERA_COOKIE_MODE',
    field: 'cookieMode',
    doc: 'deliver tokens as HTTP-only cookies by default (a login can also ask with `?delivery=cookie`)',
    group: 'sessions',
    codec: boolean,
    default: false,
  }),
  cookieSameSite: spec({
    variable: 'TESSERA_COOKIE_SAMESITE',
    field: 'cookieSameSite',
    doc: '`strict` or `lax`',
    group: 'sessions',
    codec: oneOf(['strict', 'lax']),
    default: 'strict',
  }),
  cookieSecure: spec({
    variable: 'TESSERA_COOKIE_SECURE',
    field: 'cookieSecure',
    // __Host- cookies need Secure, so plain HTTP gets un-prefixed cookie names.
    doc: '`auto` (TLS or loopback), `always`, `never`',
    group: 'sessions',
    codec: oneOf(['auto', 'always', 'never']),
    default: 'auto',
  }),
  corsOrigins: spec({
    variable: 'TESSERA_CORS_ORIGINS',
    field: 'corsOrigins',
    doc: 'comma-separated origins allowed to call with credentials',
    group: 'server',
    codec: originList,
    default: [],
    also: 'not * when TESSERA_COOKIE_MODE is on',
  }),
  trustProxy: spec({
    variable: 'TESSERA_TRUST_PROXY',
    field: 'trustProxy',
    doc: 'honour `X-Forwarded-*` (client IP for rate limits)',
    group: 'server',
    codec: boolean,
    default: false,
  }),
  console: spec({
    variable: 'TESSERA_CONSOLE',
    field: 'console',
    doc: 'serve the web console at `/`',
    group: 'operations',
    codec: boolean,
    default: true,
  }),
  bodyLimitBytes: spec({
    variable: 'TESSERA_BODY_LIMIT',
    field: 'bodyLimitBytes',
    doc: 'request body limit in bytes',
    group: 'server',
    codec: byteSize(1024, 10 * 1024 * 1024),
    default: 16_384,
  }),
  headersTimeoutSeconds: spec({
    variable: 'TESSERA_HEADERS_TIMEOUT',
    field: 'headersTimeoutSeconds',
    doc: 'time for the request line and headers to arrive; slower clients get `408` and are cut off',
    group: 'server',
    codec: duration(1, 3600),
    default: 10,
    also: 'at most TESSERA_REQUEST_TIMEOUT',
  }),
  requestTimeoutSeconds: spec({
    variable: 'TESSERA_REQUEST_TIMEOUT',
    field: 'requestTimeoutSeconds',
    doc: 'time for the whole request (headers and body) to arrive; not the time to answer (long polls)',
    group: 'server',
    codec: duration(1, 3600),
    default: 30,
  }),
  keepAliveTimeoutSeconds: spec({
    variable: 'TESSERA_KEEP_ALIVE_TIMEOUT',
    field: 'keepAliveTimeoutSeconds',
    doc: "idle keep-alive connections close after this; keep it above your load balancer's idle timeout",
    group: 'server',
    codec: duration(1, 3600),
    // Longer than the 60 s idle timeout of common load balancers, so they never reuse a closed connection.
    default: 72,
  }),
  maxConnections: spec({
    variable: 'TESSERA_MAX_CONNECTIONS',
    field: 'maxConnections',
    doc: 'open connections at most; beyond it new ones are closed at once (keep it below `ulimit -n`)',
    group: 'server',
    codec: integer(1, 1_000_000),
    default: 4096,
  }),
  rateLimitLoginIp: spec({
    variable: 'TESSERA_RATE_LIMIT_LOGIN_IP',
    field: 'rateLimits.loginPerIp',
    doc: 'logins per IP per window',
    group: 'abuse',
    codec: rateLimit,
    default: { max: 20, windowSeconds: 60 },
  }),
  rateLimitLoginAccount: spec({
    variable: 'TESSERA_RATE_LIMIT_LOGIN_ACCOUNT',
    field: 'rateLimits.loginPerAccount',
    doc: 'logins per e-mail per window',
    group: 'abuse',
    codec: rateLimit,
    default: { max: 10, windowSeconds: 300 },
  }),
  rateLimitRegisterIp: spec({
    variable: 'TESSERA_RATE_LIMIT_REGISTER_IP',
    field: 'rateLimits.registerPerIp',
    doc: 'registrations per IP per window',
    group: 'abuse',
    codec: rateLimit,
    default: { max: 10, windowSeconds: 3600 },
  }),
  rateLimitRefreshIp: spec({
    variable: 'TESSERA_RATE_LIMIT_REFRESH_IP',
    field: 'rateLimits.refreshPerIp',
    doc: 'refreshes per IP per window',
    group: 'abuse',
    codec: rateLimit,
    default: { max: 120, windowSeconds: 60 },
  }),
  lockoutThreshold: spec({
    variable: 'TESSERA_LOCKOUT_THRESHOLD',
    field: 'lockout.threshold',
    doc: 'failed logins in a row before the account locks',
    group: 'abuse',
    codec: integer(1, 1000),
    default: 5,
  }),
  lockoutBaseSeconds: spec({
    variable: 'TESSERA_LOCKOUT_BASE',
    field: 'lockout.baseSeconds',
    doc: 'first lock length; doubles with each further failure',
    group: 'abuse',
    codec: duration(1, DAY),
    default: 30,
    also: 'at most TESSERA_LOCKOUT_MAX',
  }),
  lockoutMaxSeconds: spec({
    variable: 'TESSERA_LOCKOUT_MAX',
    field: 'lockout.maxSeconds',
    doc: 'longest lock',
    group: 'abuse',
    codec: duration(1, 30 * DAY),
    default: 3600,
  }),
  passwordMinLength: spec({
    variable: 'TESSERA_PASSWORD_MIN_LENGTH',
    field: 'password.minLength',
    doc: 'shortest password accepted',
    group: 'abuse',
    codec: integer(8, 1024, ' (NIST SP 800-63B: at least 8)'),
    default: 8,
    also: 'at most TESSERA_PASSWORD_MAX_LENGTH',
  }),
  passwordMaxLength: spec({
    variable: 'TESSERA_PASSWORD_MAX_LENGTH',
    field: 'password.maxLength',
    doc: 'longest password accepted',
    group: 'abuse',
    codec: integer(64, 1024, ' (NIST SP 800-63B: allow at least 64)'),
    default: 128,
  }),
  bootstrapAdminEmail: spec({
    variable: 'TESSERA_BOOTSTRAP_ADMIN_EMAIL',
    field: 'bootstrapAdmin.email',
    doc: 'create this user with the `admin` role at start (idempotent)',
    group: 'operations',
    codec: nullable(email),
    default: null,
    also: 'set together with TESSERA_BOOTSTRAP_ADMIN_PASSWORD',
  }),
  bootstrapAdminPassword: spec({
    variable: 'TESSERA_BOOTSTRAP_ADMIN_PASSWORD',
    field: 'bootstrapAdmin.password',
    doc: "the bootstrap admin's password",
    group: 'operations',
    codec: nullable(password),
    default: null,
    secret: true,
    also: 'set together with TESSERA_BOOTSTRAP_ADMIN_EMAIL; within the password length limits',
  }),
  logLevel: spec({
    variable: 'TESSERA_LOG_LEVEL',
    field: 'logLevel',
    doc: 'pino level (`silent` … `trace`)',
    group: 'operations',
    codec: oneOf(LOG_LEVELS),
    default: 'info',
  }),
  logFormat: spec({
    variable: 'TESSERA_LOG_FORMAT',
    field: 'logFormat',
    doc: '`auto` (a banner and short lines on a terminal, JSON elsewhere), `json` or `text`',
    group: 'operations',
    codec: oneOf(LOG_FORMATS),
    default: 'auto',
  }),
  masterKey: spec({
    variable: 'TESSERA_MASTER_KEY',
    field: 'masterKey',
    doc: '32 bytes (hex or base64): seal private keys and server secrets at rest (below)',
    group: 'tokens',
    codec: nullable(masterKey),
    default: null,
    secret: true,
  }),
  oauthClients: spec({
    variable: 'TESSERA_OAUTH_CLIENTS',
    field: 'oauthClients',
    doc: 'OAuth clients as a JSON array (secrets as SHA-256 only), besides those `tessera clients add` stores',
    group: 'operations',
    codec: oauthClients,
    default: [],
    defaultText: '(none)',
    secret: true,
  }),
};

export type Schema = typeof SCHEMA;
export type FieldKey = keyof Schema;
export type FieldValue<K extends FieldKey> = Schema[K] extends FieldSpec<infer T> ? T : never;

/** Names the config file; read by the loader itself, so it is not a schema row. */
export const CONFIG_FILE_VARIABLE = 'TESSERA_CONFIG_FILE';
export const ENV_PREFIX = 'TESSERA_';

export const FIELD_KEYS = Object.keys(SCHEMA) as FieldKey[];

/** Groups of nested fields that are null as a whole unless every member is set (checked in cross-checks.ts). */
export const NULLABLE_GROUPS = ['bootstrapAdmin'] as const;
