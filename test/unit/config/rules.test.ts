import { describe, expect, it } from 'vitest';
import { SCHEMA } from '../../../src/config/schema.js';
import { configError, EC_PRIVATE_JWK, MASTER_KEY_HEX, OCT_JWK } from './fixtures.js';

const SECRET_VARIABLES = new Set(
  Object.values(SCHEMA)
    .filter((spec) => spec.secret === true)
    .map((spec) => spec.variable),
);

const jwks = (...keys: unknown[]): string => JSON.stringify({ keys });
const { d: _d, ...EC_PUBLIC_JWK } = EC_PRIVATE_JWK;

/** [variable, bad value, fragment the message must contain]: one row per rejection branch. */
const REJECTIONS: [string, string, string][] = [
  ['TESSERA_HOST', '', 'must be a host name or IP address'],
  ['TESSERA_HOST', 'http://localhost', 'must be a host name or IP address'],
  ['TESSERA_HOST', 'my host', 'must be a host name or IP address'],
  ['TESSERA_HOST', 'localhost:3000', 'must be a host name or IP address'],
  ['TESSERA_HOST', '-bad.example', 'must be a host name or IP address'],
  ['TESSERA_PORT', 'abc', 'must be an integer from 0 to 65535'],
  ['TESSERA_PORT', '-1', 'must be an integer from 0 to 65535'],
  ['TESSERA_PORT', '65536', 'must be an integer from 0 to 65535'],
  ['TESSERA_PORT', '3000.5', 'must be an integer from 0 to 65535'],
  ['TESSERA_PORT', '', 'must be an integer from 0 to 65535'],
  ['TESSERA_PORT', ' 3000', 'must be an integer from 0 to 65535'],
  ['TESSERA_PORT', '1e3', 'must be an integer from 0 to 65535'],
  ['TESSERA_ISSUER', 'auth.example.com', 'must be an absolute http(s) URL'],
  ['TESSERA_ISSUER', '/relative', 'must be an absolute http(s) URL'],
  ['TESSERA_ISSUER', 'ftp://auth.example.com', 'must be an absolute http(s) URL'],
  ['TESSERA_ISSUER', 'https://auth.example.com/?tenant=a', 'without query or fragment'],
  ['TESSERA_ISSUER', 'https://auth.example.com/#top', 'without query or fragment'],
  ['TESSERA_ISSUER', 'https://user@auth.example.com', 'must be an absolute http(s) URL'],
  ['TESSERA_PUBLIC_URL', 'login.example.com', 'must be an absolute http(s) URL'],
  ['TESSERA_PUBLIC_URL', 'https://login.example.com/#top', 'without query or fragment'],
  ['TESSERA_WEBAUTHN_RP_ID', '127.0.0.1', 'not an IP address'],
  ['TESSERA_WEBAUTHN_RP_ID', 'Example.com', 'must be a lower-case domain name'],
  ['TESSERA_WEBAUTHN_RP_ID', 'https://example.com', 'must be a lower-case domain name'],
  ['TESSERA_WEBAUTHN_RP_NAME', ' ', 'must be a non-empty string'],
  ['TESSERA_WEBAUTHN_ORIGINS', '*', 'non-empty list of origins'],
  ['TESSERA_WEBAUTHN_ORIGINS', 'https://example.com/login', 'non-empty list of origins'],
  ['TESSERA_WEBAUTHN_ORIGINS', 'https://example.com,', 'non-empty list of origins'],
  ['TESSERA_AUDIENCE', '', 'must be a non-empty string'],
  ['TESSERA_AUDIENCE', '   ', 'must be a non-empty string'],
  ['TESSERA_DATABASE_URL', '', 'must be sqlite:<path>, sqlite::memory: or a postgres://'],
  ['TESSERA_DATABASE_URL', './data/tessera.db', 'must be sqlite:<path>'],
  ['TESSERA_DATABASE_URL', 'sqlite:', 'must be sqlite:<path>'],
  ['TESSERA_DATABASE_URL', 'mysql://db/tessera', 'must be sqlite:<path>'],
  ['TESSERA_DATABASE_URL', 'postgres://', 'must be sqlite:<path>'],
  ['TESSERA_DATABASE_URL', 'postgres://[bad', 'must be sqlite:<path>'],
  ['TESSERA_REDIS_URL', 'localhost:6379', 'must be a redis:// or rediss:// URL'],
  ['TESSERA_REDIS_URL', 'http://cache:6379', 'must be a redis:// or rediss:// URL'],
  ['TESSERA_REDIS_URL', 'redis://', 'must be a redis:// or rediss:// URL'],
  ['TESSERA_REDIS_PREFIX', 'has space', 'must be 1-64 characters'],
  ['TESSERA_REDIS_PREFIX', 'x'.repeat(65), 'must be 1-64 characters'],
  ['TESSERA_REDIS_FAILURE_MODE', 'fail-open', 'must be one of closed, open'],
  ['TESSERA_REDIS_FAILURE_MODE', 'CLOSED', 'must be one of closed, open'],
  ['TESSERA_SMTP_URL', 'http://mail.example.com', 'must be smtp://[user:pass@]host[:port] or smtps://'],
  ['TESSERA_SMTP_URL', 'smtp:///no-host', 'must be smtp://[user:pass@]host[:port] or smtps://'],
  ['TESSERA_SMTP_URL', 'smtp://mail.example.com/path', 'must be smtp://[user:pass@]host[:port] or smtps://'],
  ['TESSERA_SMTP_URL', 'not a url', 'must be smtp://[user:pass@]host[:port] or smtps://'],
  ['TESSERA_MAIL_FROM', 'no-at-sign', 'must be an address or Name <address>'],
  ['TESSERA_MAIL_FROM', 'Evil\r\nBcc: x@example.com <a@example.com>', 'must be an address or Name <address>'],
  ['TESSERA_MAIL_FROM', 'Name <not an address>', 'must be an address or Name <address>'],
  ['TESSERA_MAIL_DEV_OUTBOX', 'yes', 'must be one of auto, true, false'],
  ['TESSERA_MAIL_TEMPLATES', '  ', 'must be a non-empty string'],
  ['TESSERA_MAIL_MAX_ATTEMPTS', '0', 'must be an integer from 1 to 100'],
  ['TESSERA_MAIL_MAX_ATTEMPTS', '101', 'must be an integer from 1 to 100'],
  ['TESSERA_MAIL_RETRY_BASE', '0', 'must be a duration from 1s to 1d'],
  ['TESSERA_MAIL_RETRY_MAX', '2d', 'must be a duration from 1s to 1d'],
  ['TESSERA_ALGORITHM', 'none', '"none" is never allowed'],
  ['TESSERA_ALGORITHM', 'NONE', '"none" is never allowed'],
  ['TESSERA_ALGORITHM', 'es256', 'must be one of HS256, HS384, HS512, RS256'],
  ['TESSERA_ALGORITHM', 'HS1', 'must be one of'],
  ['TESSERA_ALGORITHM', 'RSA-OAEP', 'must be one of'],
  ['TESSERA_SIGNING_KEYS', '{"keys":', 'the JSON does not parse'],
  ['TESSERA_SIGNING_KEYS', '[]', 'must be a JWK Set'],
  ['TESSERA_SIGNING_KEYS', '{"keys":[]}', 'non-empty "keys" array'],
  ['TESSERA_SIGNING_KEYS', JSON.stringify(EC_PRIVATE_JWK), 'must be a JWK Set'],
  ['TESSERA_SIGNING_KEYS', '{"keys":{}}', 'must be a JWK Set'],
  ['TESSERA_SIGNING_KEYS', jwks(1), 'keys[0] must have a kty of RSA, EC, OKP or oct'],
  ['TESSERA_SIGNING_KEYS', jwks({ d: 'x' }), 'keys[0] must have a kty'],
  ['TESSERA_SIGNING_KEYS', jwks({ kty: 'DSA', d: 'x' }), 'keys[0] must have a kty'],
  [
    'TESSERA_SIGNING_KEYS',
    jwks(EC_PRIVATE_JWK, EC_PUBLIC_JWK),
    'keys[1] must be a private key: kty EC needs "d"',
  ],
  ['TESSERA_SIGNING_KEYS', jwks({ kty: 'oct', d: 'x' }), 'keys[0] must be a private key: kty oct needs "k"'],
  ['TESSERA_SIGNING_KEYS', jwks({ kty: 'RSA', n: 'x', e: 'AQAB', d: '' }), 'kty RSA needs "d"'],
  [
    'TESSERA_SIGNING_KEYS',
    jwks({ ...EC_PRIVATE_JWK, kid: 'a' }, { ...EC_PRIVATE_JWK, kid: 'a' }),
    'keys[1] repeats the kid of an earlier key',
  ],
  [
    'TESSERA_SIGNING_KEYS',
    '@/nonexistent/tessera-keys.json',
    'could not read the key file /nonexistent/tessera-keys.json (ENOENT)',
  ],
  ['TESSERA_ACCESS_TOKEN_TTL', '0', 'must be a duration from 1s to 1d'],
  ['TESSERA_ACCESS_TOKEN_TTL', '86401', 'must be a duration from 1s to 1d'],
  ['TESSERA_ACCESS_TOKEN_TTL', '2d', 'must be a duration from 1s to 1d'],
  ['TESSERA_ACCESS_TOKEN_TTL', '15x', 'must be a duration'],
  ['TESSERA_ACCESS_TOKEN_TTL', '1.5h', 'must be a duration'],
  ['TESSERA_ACCESS_TOKEN_TTL', '-5', 'must be a duration'],
  ['TESSERA_REFRESH_TOKEN_TTL', '0', 'must be a duration of at least 1s'],
  ['TESSERA_REFRESH_TOKEN_TTL', 'month', 'must be a duration of at least 1s'],
  ['TESSERA_REFRESH_REUSE_GRACE', '301', 'must be a duration from 0s to 5m'],
  ['TESSERA_REFRESH_REUSE_GRACE', '6m', 'must be a duration from 0s to 5m'],
  ['TESSERA_CLOCK_TOLERANCE', '301', 'must be a duration from 0s to 5m'],
  ['TESSERA_CLOCK_TOLERANCE', '1h', 'must be a duration from 0s to 5m'],
  ['TESSERA_STEP_UP_MAX_AGE', '59', 'must be a duration from 60s to 1d'],
  ['TESSERA_STEP_UP_MAX_AGE', '2d', 'must be a duration from 60s to 1d'],
  ['TESSERA_STEP_UP_MAX_AGE', 'soon', 'must be a duration from 60s to 1d'],
  ['TESSERA_KEY_ROTATION_INTERVAL', '-1', 'must be a duration from 0s to 3650d'],
  ['TESSERA_KEY_ROTATION_INTERVAL', '3651d', 'must be a duration from 0s to 3650d'],
  ['TESSERA_KEY_ROTATION_INTERVAL', 'weekly', 'must be a duration'],
  ['TESSERA_SESSION_IDLE_TIMEOUT', '0', 'must be a duration of at least 1s'],
  ['TESSERA_SESSION_ABSOLUTE_TIMEOUT', 'forever', 'must be a duration of at least 1s'],
  ['TESSERA_DEFAULT_LOGIN_MODE', 'cookie', 'must be one of jwt, session'],
  ['TESSERA_DEFAULT_LOGIN_MODE', 'JWT', 'must be one of jwt, session'],
  ['TESSERA_STRICT_MODE', 'maybe', 'must be true or false'],
  ['TESSERA_STRICT_MODE', '', 'must be true or false'],
  ['TESSERA_COOKIE_MODE', 'on', 'must be true or false'],
  ['TESSERA_COOKIE_MODE', '2', 'must be true or false'],
  ['TESSERA_COOKIE_SAMESITE', 'none', 'must be one of strict, lax'],
  ['TESSERA_COOKIE_SECURE', 'yes', 'must be one of auto, always, never'],
  ['TESSERA_CORS_ORIGINS', 'app.example.com', 'must be a comma-separated list of origins'],
  ['TESSERA_CORS_ORIGINS', 'https://app.example.com/', 'no path'],
  ['TESSERA_CORS_ORIGINS', 'https://app.example.com/app', 'no path'],
  ['TESSERA_CORS_ORIGINS', 'https://app.example.com?x=1', 'no path'],
  ['TESSERA_CORS_ORIGINS', 'https://user@app.example.com', 'must be a comma-separated list of origins'],
  ['TESSERA_CORS_ORIGINS', 'ftp://app.example.com', 'must be a comma-separated list of origins'],
  ['TESSERA_CORS_ORIGINS', 'null', 'must be a comma-separated list of origins'],
  [
    'TESSERA_CORS_ORIGINS',
    'https://a.example,,https://b.example',
    'must be a comma-separated list of origins',
  ],
  ['TESSERA_CORS_ORIGINS', '*,https://a.example', 'must be * alone or a list of origins, not both'],
  ['TESSERA_TRUST_PROXY', 'loopback', 'must be true or false'],
  ['TESSERA_CONSOLE', 'off', 'must be true or false'],
  ['TESSERA_BODY_LIMIT', '1023', 'must be a size from 1024 to 10485760 bytes'],
  ['TESSERA_BODY_LIMIT', '10485761', 'must be a size from 1024 to 10485760 bytes'],
  ['TESSERA_BODY_LIMIT', '11mb', 'must be a size from 1024 to 10485760 bytes'],
  ['TESSERA_BODY_LIMIT', '1gb', 'must be a size'],
  ['TESSERA_BODY_LIMIT', '16 kb', 'must be a size'],
  ['TESSERA_HEADERS_TIMEOUT', '0', 'must be a duration from 1s to 1h'],
  ['TESSERA_HEADERS_TIMEOUT', '2h', 'must be a duration from 1s to 1h'],
  ['TESSERA_REQUEST_TIMEOUT', '0', 'must be a duration from 1s to 1h'],
  ['TESSERA_REQUEST_TIMEOUT', 'forever', 'must be a duration'],
  ['TESSERA_KEEP_ALIVE_TIMEOUT', '0', 'must be a duration from 1s to 1h'],
  ['TESSERA_MAX_CONNECTIONS', '0', 'must be an integer from 1 to 1000000'],
  ['TESSERA_MAX_CONNECTIONS', 'unlimited', 'must be an integer from 1 to 1000000'],
  ['TESSERA_RATE_LIMIT_LOGIN_IP', '20', 'must be "<max>/<window>"'],
  ['TESSERA_RATE_LIMIT_LOGIN_IP', '0/60s', 'must be "<max>/<window>"'],
  ['TESSERA_RATE_LIMIT_LOGIN_IP', '20/0s', 'must be "<max>/<window>"'],
  ['TESSERA_RATE_LIMIT_LOGIN_ACCOUNT', '20/2d', 'window 1s-1d'],
  ['TESSERA_RATE_LIMIT_LOGIN_ACCOUNT', 'x/60s', 'must be "<max>/<window>"'],
  ['TESSERA_RATE_LIMIT_REGISTER_IP', '20/60x', 'must be "<max>/<window>"'],
  ['TESSERA_RATE_LIMIT_REGISTER_IP', '20 / 60s', 'must be "<max>/<window>"'],
  ['TESSERA_RATE_LIMIT_REFRESH_IP', '2000000/60s', 'max 1-1000000'],
  ['TESSERA_RATE_LIMIT_REFRESH_IP', '-1/60s', 'must be "<max>/<window>"'],
  ['TESSERA_RATE_LIMIT_RECOVERY_IP', '0/60s', 'max 1-1000000'],
  ['TESSERA_RATE_LIMIT_RECOVERY_ACCOUNT', '3', 'must be "<max>/<window>"'],
  ['TESSERA_RATE_LIMIT_LINK_IP', '-1/60s', 'must be "<max>/<window>"'],
  ['TESSERA_EMAIL_VERIFICATION', 'yes', 'must be one of off, optional, required'],
  ['TESSERA_EMAIL_VERIFICATION', 'Required', 'must be one of off, optional, required'],
  ['TESSERA_VERIFY_EMAIL_TTL', '59', 'must be a duration from 60s to 30d'],
  ['TESSERA_VERIFY_EMAIL_TTL', '31d', 'must be a duration from 60s to 30d'],
  ['TESSERA_PASSWORD_RESET_TTL', '2d', 'must be a duration from 60s to 1d'],
  ['TESSERA_PASSWORD_RESET_TTL', 'soon', 'must be a duration'],
  ['TESSERA_EMAIL_CHANGE_TTL', '0', 'must be a duration from 60s to 30d'],
  ['TESSERA_RATE_LIMIT_MFA_IP', '0/60s', 'max 1-1000000'],
  ['TESSERA_MFA_RECENT_SIGN_IN', '10s', 'must be a duration from 60s to 1d'],
  ['TESSERA_LOCKOUT_THRESHOLD', '0', 'must be an integer from 1 to 1000'],
  ['TESSERA_LOCKOUT_THRESHOLD', '1001', 'must be an integer from 1 to 1000'],
  ['TESSERA_LOCKOUT_BASE', '0', 'must be a duration from 1s to 1d'],
  ['TESSERA_LOCKOUT_MAX', '31d', 'must be a duration from 1s to 30d'],
  ['TESSERA_PASSWORD_MIN_LENGTH', '7', 'must be an integer from 8 to 1024 (NIST SP 800-63B: at least 8)'],
  ['TESSERA_PASSWORD_MIN_LENGTH', '1025', 'must be an integer from 8 to 1024'],
  [
    'TESSERA_PASSWORD_MAX_LENGTH',
    '63',
    'must be an integer from 64 to 1024 (NIST SP 800-63B: allow at least 64)',
  ],
  ['TESSERA_PASSWORD_MAX_LENGTH', '1025', 'must be an integer from 64 to 1024'],
  ['TESSERA_BOOTSTRAP_ADMIN_EMAIL', 'admin', 'must look like an e-mail address'],
  ['TESSERA_BOOTSTRAP_ADMIN_EMAIL', 'admin@localhost', 'must look like an e-mail address'],
  ['TESSERA_BOOTSTRAP_ADMIN_EMAIL', 'ad min@example.com', 'must look like an e-mail address'],
  ['TESSERA_BOOTSTRAP_ADMIN_EMAIL', `${'a'.repeat(250)}@example.com`, 'must look like an e-mail address'],
  ['TESSERA_LOG_LEVEL', 'verbose', 'must be one of fatal, error, warn, info, debug, trace, silent'],
  ['TESSERA_LOG_FORMAT', 'pretty', 'must be one of auto, json, text'],
  ['TESSERA_LOG_FORMAT', 'JSON', 'must be one of auto, json, text'],
  ['TESSERA_METRICS', 'enabled', 'must be on or off'],
  ['TESSERA_METRICS', 'maybe', 'must be on or off'],
  ['TESSERA_METRICS_ALLOW', '', 'must be a comma-separated list of IP addresses'],
  ['TESSERA_METRICS_ALLOW', 'localhost', 'must be a comma-separated list of IP addresses'],
  ['TESSERA_METRICS_ALLOW', '10.0.0.0/33', 'must be a comma-separated list'],
  ['TESSERA_METRICS_ALLOW', '::1/129', 'must be a comma-separated list'],
  ['TESSERA_METRICS_ALLOW', '10.0.0.0/8/8', 'must be a comma-separated list'],
  ['TESSERA_METRICS_ALLOW', '10.0.0.0/x', 'must be a comma-separated list'],
  ['TESSERA_METRICS_ALLOW', '10.0.0.1,,loopback', 'must be a comma-separated list'],
  ['TESSERA_METRICS_ALLOW', '300.0.0.1', 'must be a comma-separated list'],
  ['TESSERA_METRICS_TOKEN', 'short-token', 'must be 32 to 512 characters'],
  ['TESSERA_METRICS_TOKEN', `${'a'.repeat(31)} `, 'must be 32 to 512 characters'],
  ['TESSERA_METRICS_TOKEN', `${'a'.repeat(40)}"quoted"`, 'must be 32 to 512 characters'],
  ['TESSERA_METRICS_TOKEN', 'a'.repeat(513), 'must be 32 to 512 characters'],
  ['TESSERA_MASTER_KEY', 'short', 'must be 32 bytes written as base64'],
  ['TESSERA_MASTER_KEY', MASTER_KEY_HEX.slice(1), 'must be 32 bytes'],
  ['TESSERA_MASTER_KEY', `${MASTER_KEY_HEX}0`, 'must be 32 bytes'],
  ['TESSERA_MASTER_KEY', Buffer.alloc(31, 7).toString('base64'), 'must be 32 bytes'],
  ['TESSERA_MASTER_KEY', Buffer.alloc(33, 7).toString('base64'), 'must be 32 bytes'],
  ['TESSERA_MASTER_KEY', `g${MASTER_KEY_HEX.slice(1)}`, 'must be 32 bytes'],
  ['TESSERA_OAUTH_CLIENTS', '{"client_id":"web"}', 'must be a JSON array'],
  ['TESSERA_OAUTH_CLIENTS', '[{', 'the JSON does not parse'],
  ['TESSERA_OAUTH_CLIENTS', '[1]', 'clients[0] must be an object'],
  ['TESSERA_OAUTH_CLIENTS', '[{"client_id":"a b","type":"public"}]', 'client_id must be 1-64 characters'],
  [
    'TESSERA_OAUTH_CLIENTS',
    '[{"client_id":"a","type":"public"},{"client_id":"a","type":"public"}]',
    'clients[1].client_id repeats an earlier client',
  ],
  ['TESSERA_OAUTH_CLIENTS', '[{"client_id":"a","type":"secret"}]', 'type must be public or confidential'],
  ['TESSERA_OAUTH_CLIENTS', '[{"client_id":"a","type":"confidential"}]', 'client_secret_sha256 must be the'],
  [
    'TESSERA_OAUTH_CLIENTS',
    '[{"client_id":"a","type":"public","client_secret_sha256":"x"}]',
    'is public: it has no client_secret_sha256',
  ],
  ['TESSERA_OAUTH_CLIENTS', '[{"client_id":"a","type":"public","name":""}]', 'name must be a non-empty'],
  [
    'TESSERA_OAUTH_CLIENTS',
    '[{"client_id":"a","type":"public","grant_types":["implicit"]}]',
    'grant_types must be an array of valid values',
  ],
  [
    'TESSERA_OAUTH_CLIENTS',
    '[{"client_id":"a","type":"public","scopes":["a b"]}]',
    'scopes must be an array of valid values',
  ],
  ['TESSERA_OAUTH_CLIENTS', '[{"client_id":"a","type":"public","secret":"x"}]', 'unknown member "secret"'],
  ['TESSERA_OAUTH_CLIENTS', '@/nonexistent/tessera-clients.json', 'could not read the clients file'],
];

/** Values a row needs around it so that only the field under test is wrong. */
function environmentFor(variable: string, value: string): Record<string, string> {
  const env: Record<string, string> = { [variable]: value };
  if (variable === 'TESSERA_BOOTSTRAP_ADMIN_EMAIL')
    env.TESSERA_BOOTSTRAP_ADMIN_PASSWORD = 'long enough password';
  return env;
}

describe('every rule rejects what it must', () => {
  it.each(REJECTIONS)('%s=%j → %s', (variable, value, fragment) => {
    const error = configError({ env: environmentFor(variable, value) });
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).toContain(fragment);
    expect(error.rule).toContain(fragment);
    expect(error.message).not.toContain('\n');
    if (SECRET_VARIABLES.has(variable)) {
      expect(error.message.endsWith('(value hidden)')).toBe(true);
      if (value.length > 2) expect(error.message).not.toContain(value);
    } else {
      const shown = JSON.stringify(value);
      if (shown.length <= 80) expect(error.message.endsWith(`(got ${shown})`)).toBe(true);
      else expect(error.message).toMatch(/\(got "a{40,}…\)$/); // only the long e-mail row
    }
  });

  it('the table covers every variable of the schema', () => {
    const covered = new Set(REJECTIONS.map(([variable]) => variable));
    const missing = Object.values(SCHEMA)
      .map((spec) => spec.variable)
      .filter((variable) => !covered.has(variable) && variable !== 'TESSERA_BOOTSTRAP_ADMIN_PASSWORD');
    // The bootstrap password's only rules involve other fields: see cross-checks.test.ts.
    expect(missing).toEqual([]);
  });

  it('gives one exact line: the variable, the rule and the value given', () => {
    expect(configError({ env: { TESSERA_PORT: 'abc' } }).message).toBe(
      'TESSERA_PORT: must be an integer from 0 to 65535 (got "abc")',
    );
  });

  it('keeps control characters in a value from breaking the line', () => {
    const error = configError({ env: { TESSERA_LOG_LEVEL: 'info\nFAKE LOG LINE' } });
    expect(error.message).toBe(
      'TESSERA_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "info\\nFAKE LOG LINE")',
    );
  });

  it('cuts very long values short', () => {
    const error = configError({ env: { TESSERA_AUDIENCE: '', TESSERA_HOST: 'x'.repeat(500) } });
    expect(error.variable).toBe('TESSERA_HOST');
    expect(error.message.length).toBeLessThan(160);
    expect(error.message).toContain('…');
  });

  it('accepts an oct key for HMAC algorithms', () => {
    expect(() =>
      configError({ env: { TESSERA_ALGORITHM: 'HS256', TESSERA_SIGNING_KEYS: jwks(OCT_JWK) } }),
    ).toThrow(/expected loadConfig to throw/);
  });
});
