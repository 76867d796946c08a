import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { configError, EC_PRIVATE_JWK, OCT_JWK } from './fixtures.js';

const ADMIN_EMAIL = 'admin@example.com';

/** [case, env, variable blamed, exact message]: rules that involve two fields. */
const CROSS_REJECTIONS: [string, Record<string, string>, string, string][] = [
  [
    'refresh TTL equal to the access TTL',
    { TESSERA_ACCESS_TOKEN_TTL: '1d', TESSERA_REFRESH_TOKEN_TTL: '24h' },
    'TESSERA_REFRESH_TOKEN_TTL',
    'TESSERA_REFRESH_TOKEN_TTL: must be greater than TESSERA_ACCESS_TOKEN_TTL (1d) (got "24h")',
  ],
  [
    'refresh TTL below the default access TTL',
    { TESSERA_REFRESH_TOKEN_TTL: '10m' },
    'TESSERA_REFRESH_TOKEN_TTL',
    'TESSERA_REFRESH_TOKEN_TTL: must be greater than TESSERA_ACCESS_TOKEN_TTL (15m) (got "10m")',
  ],
  [
    'idle timeout above the default absolute timeout',
    { TESSERA_SESSION_IDLE_TIMEOUT: '8d' },
    'TESSERA_SESSION_IDLE_TIMEOUT',
    'TESSERA_SESSION_IDLE_TIMEOUT: must be at most TESSERA_SESSION_ABSOLUTE_TIMEOUT (7d) (got "8d")',
  ],
  [
    'absolute timeout below the default idle timeout',
    { TESSERA_SESSION_ABSOLUTE_TIMEOUT: '600' },
    'TESSERA_SESSION_ABSOLUTE_TIMEOUT',
    'TESSERA_SESSION_ABSOLUTE_TIMEOUT: must be at least TESSERA_SESSION_IDLE_TIMEOUT (30m) (got "600")',
  ],
  [
    'lockout base above the default maximum',
    { TESSERA_LOCKOUT_BASE: '2h' },
    'TESSERA_LOCKOUT_BASE',
    'TESSERA_LOCKOUT_BASE: must be at most TESSERA_LOCKOUT_MAX (1h) (got "2h")',
  ],
  [
    'password minimum above the default maximum',
    { TESSERA_PASSWORD_MIN_LENGTH: '200' },
    'TESSERA_PASSWORD_MIN_LENGTH',
    'TESSERA_PASSWORD_MIN_LENGTH: must be at most TESSERA_PASSWORD_MAX_LENGTH (128) (got "200")',
  ],
  [
    'password maximum below a configured minimum (both set: the maximum is named)',
    { TESSERA_PASSWORD_MIN_LENGTH: '100', TESSERA_PASSWORD_MAX_LENGTH: '64' },
    'TESSERA_PASSWORD_MAX_LENGTH',
    'TESSERA_PASSWORD_MAX_LENGTH: must be at least TESSERA_PASSWORD_MIN_LENGTH (100) (got "64")',
  ],
  [
    'wildcard CORS in cookie mode',
    { TESSERA_COOKIE_MODE: 'true', TESSERA_CORS_ORIGINS: '*' },
    'TESSERA_CORS_ORIGINS',
    'TESSERA_CORS_ORIGINS: must list explicit origins, not *, when TESSERA_COOKIE_MODE is on (got "*")',
  ],
  [
    'bootstrap e-mail without password',
    { TESSERA_BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL },
    'TESSERA_BOOTSTRAP_ADMIN_PASSWORD',
    'TESSERA_BOOTSTRAP_ADMIN_PASSWORD: must be set together with TESSERA_BOOTSTRAP_ADMIN_EMAIL',
  ],
  [
    'bootstrap password without e-mail',
    { TESSERA_BOOTSTRAP_ADMIN_PASSWORD: 'a long enough password' },
    'TESSERA_BOOTSTRAP_ADMIN_EMAIL',
    'TESSERA_BOOTSTRAP_ADMIN_EMAIL: must be set together with TESSERA_BOOTSTRAP_ADMIN_PASSWORD',
  ],
  [
    'bootstrap password shorter than the default minimum',
    { TESSERA_BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, TESSERA_BOOTSTRAP_ADMIN_PASSWORD: 'seven77' },
    'TESSERA_BOOTSTRAP_ADMIN_PASSWORD',
    'TESSERA_BOOTSTRAP_ADMIN_PASSWORD: must be 8 to 128 characters long (TESSERA_PASSWORD_MIN_LENGTH, TESSERA_PASSWORD_MAX_LENGTH) (value hidden)',
  ],
  [
    'bootstrap password shorter than a configured minimum',
    {
      TESSERA_PASSWORD_MIN_LENGTH: '16',
      TESSERA_BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
      TESSERA_BOOTSTRAP_ADMIN_PASSWORD: 'fifteen chars!!',
    },
    'TESSERA_BOOTSTRAP_ADMIN_PASSWORD',
    'TESSERA_BOOTSTRAP_ADMIN_PASSWORD: must be 16 to 128 characters long (TESSERA_PASSWORD_MIN_LENGTH, TESSERA_PASSWORD_MAX_LENGTH) (value hidden)',
  ],
  [
    'bootstrap password longer than the maximum',
    {
      TESSERA_PASSWORD_MAX_LENGTH: '64',
      TESSERA_BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
      TESSERA_BOOTSTRAP_ADMIN_PASSWORD: 'p'.repeat(65),
    },
    'TESSERA_BOOTSTRAP_ADMIN_PASSWORD',
    'TESSERA_BOOTSTRAP_ADMIN_PASSWORD: must be 8 to 64 characters long (TESSERA_PASSWORD_MIN_LENGTH, TESSERA_PASSWORD_MAX_LENGTH) (value hidden)',
  ],
  [
    'signing keys that do not suit the algorithm',
    { TESSERA_SIGNING_KEYS: JSON.stringify({ keys: [OCT_JWK] }) },
    'TESSERA_SIGNING_KEYS',
    'TESSERA_SIGNING_KEYS: must hold a kty EC key for TESSERA_ALGORITHM ES256 (value hidden)',
  ],
  // A configured set refuses every member it cannot use, by name (issue #10).
  [
    'a member whose k is not canonical base64url',
    {
      TESSERA_ALGORITHM: 'HS256',
      TESSERA_SIGNING_KEYS: JSON.stringify({
        keys: [
          { ...OCT_JWK, kid: 'a' },
          { ...OCT_JWK, kid: 'b', k: `${OCT_JWK.k.slice(0, -1)}x` },
        ],
      }),
    },
    'TESSERA_SIGNING_KEYS',
    'TESSERA_SIGNING_KEYS: keys[1] (kid "b") was refused: the oct JWK needs "k" in strict base64url (value hidden)',
  ],
  [
    'the same key twice without kid (one RFC 7638 thumbprint)',
    { TESSERA_SIGNING_KEYS: JSON.stringify({ keys: [EC_PRIVATE_JWK, EC_PRIVATE_JWK] }) },
    'TESSERA_SIGNING_KEYS',
    'TESSERA_SIGNING_KEYS: keys[1] repeats the kid of keys[0] (value hidden)',
  ],
  [
    'a secret beside asymmetric keys',
    { TESSERA_SIGNING_KEYS: JSON.stringify({ keys: [{ ...OCT_JWK, alg: 'HS256' }, EC_PRIVATE_JWK] }) },
    'TESSERA_SIGNING_KEYS',
    'TESSERA_SIGNING_KEYS: mixes a secret key (keys[0]) with asymmetric keys (keys[1]); use one kind (value hidden)',
  ],
  [
    "a private key of the algorithm's kty but another algorithm only",
    { TESSERA_SIGNING_KEYS: JSON.stringify({ keys: [{ ...EC_PRIVATE_JWK, alg: 'ES384' }] }) },
    'TESSERA_SIGNING_KEYS',
    'TESSERA_SIGNING_KEYS: keys[0] was refused: ES384 needs an EC key on curve P-384 (value hidden)',
  ],
  [
    'a headers timeout above the default request timeout',
    { TESSERA_HEADERS_TIMEOUT: '1m' },
    'TESSERA_HEADERS_TIMEOUT',
    'TESSERA_HEADERS_TIMEOUT: must be at most TESSERA_REQUEST_TIMEOUT (30s) (got "1m")',
  ],
  [
    'a request timeout below the default headers timeout',
    { TESSERA_REQUEST_TIMEOUT: '5s' },
    'TESSERA_REQUEST_TIMEOUT',
    'TESSERA_REQUEST_TIMEOUT: must be at least TESSERA_HEADERS_TIMEOUT (10s) (got "5s")',
  ],
  [
    'an EC key for an RSA algorithm',
    { TESSERA_ALGORITHM: 'PS256', TESSERA_SIGNING_KEYS: JSON.stringify({ keys: [EC_PRIVATE_JWK] }) },
    'TESSERA_SIGNING_KEYS',
    'TESSERA_SIGNING_KEYS: must hold a kty RSA key for TESSERA_ALGORITHM PS256 (value hidden)',
  ],
  [
    'no SMTP on a non-loopback listener, dev outbox left to auto',
    { TESSERA_HOST: '0.0.0.0' },
    'TESSERA_SMTP_URL',
    'TESSERA_SMTP_URL: is not set and TESSERA_HOST (0.0.0.0) is not loopback: set TESSERA_SMTP_URL to send mail, or TESSERA_MAIL_DEV_OUTBOX=true to keep it in the development outbox',
  ],
  [
    'SMTP without a sender',
    { TESSERA_SMTP_URL: 'smtp://mail.example.com:587' },
    'TESSERA_MAIL_FROM',
    'TESSERA_MAIL_FROM: must be set when TESSERA_SMTP_URL is set',
  ],
  [
    'SMTP and the dev outbox both asked for',
    {
      TESSERA_SMTP_URL: 'smtp://mail.example.com',
      TESSERA_MAIL_FROM: 'a@example.com',
      TESSERA_MAIL_DEV_OUTBOX: 'true',
    },
    'TESSERA_MAIL_DEV_OUTBOX',
    'TESSERA_MAIL_DEV_OUTBOX: cannot be true when TESSERA_SMTP_URL is set (mail would be kept, never sent): unset one of them (got "true")',
  ],
  [
    'dev outbox refused without SMTP',
    { TESSERA_MAIL_DEV_OUTBOX: 'false' },
    'TESSERA_MAIL_DEV_OUTBOX',
    'TESSERA_MAIL_DEV_OUTBOX: cannot be false without TESSERA_SMTP_URL: mail would have nowhere to go (got "false")',
  ],
  [
    'retry base above the default maximum',
    { TESSERA_MAIL_RETRY_BASE: '2h' },
    'TESSERA_MAIL_RETRY_BASE',
    'TESSERA_MAIL_RETRY_BASE: must be at most TESSERA_MAIL_RETRY_MAX (1h) (got "2h")',
  ],
  [
    'a passkey RP ID the default public URL is not on',
    { TESSERA_WEBAUTHN_RP_ID: 'example.com' },
    'TESSERA_WEBAUTHN_RP_ID',
    'TESSERA_WEBAUTHN_RP_ID: origin http://127.0.0.1:3000 is not on the RP ID example.com or a subdomain of it (TESSERA_WEBAUTHN_RP_ID, TESSERA_WEBAUTHN_ORIGINS) (got "example.com")',
  ],
  [
    'a passkey origin outside the RP ID',
    {
      TESSERA_WEBAUTHN_RP_ID: 'example.com',
      TESSERA_WEBAUTHN_ORIGINS: 'https://login.example.com,https://evil.test',
    },
    'TESSERA_WEBAUTHN_ORIGINS',
    'TESSERA_WEBAUTHN_ORIGINS: origin https://evil.test is not on the RP ID example.com or a subdomain of it (TESSERA_WEBAUTHN_RP_ID, TESSERA_WEBAUTHN_ORIGINS) (got "https://login.example.com,https://evil.test")',
  ],
  [
    "passkey origins outside the public URL's host",
    { TESSERA_PUBLIC_URL: 'https://login.example.com', TESSERA_WEBAUTHN_ORIGINS: 'https://example.com' },
    'TESSERA_WEBAUTHN_ORIGINS',
    'TESSERA_WEBAUTHN_ORIGINS: origin https://example.com is not on the RP ID login.example.com or a subdomain of it (TESSERA_WEBAUTHN_RP_ID, TESSERA_WEBAUTHN_ORIGINS) (got "https://example.com")',
  ],
];

describe('rules across fields', () => {
  it.each(CROSS_REJECTIONS)('%s', (_case, env, variable, message) => {
    const error = configError({ env });
    expect(error.variable).toBe(variable);
    expect(error.message).toBe(message);
  });

  it('accepts passkey origins on the RP ID or its subdomains, and derives both from the public URL', () => {
    const explicit = loadConfig({
      env: {
        TESSERA_WEBAUTHN_RP_ID: 'example.com',
        TESSERA_WEBAUTHN_ORIGINS: 'https://example.com, https://login.example.com:8443',
      },
    });
    expect(explicit.webauthn).toEqual({
      rpId: 'example.com',
      rpName: 'Tessera',
      origins: ['https://example.com', 'https://login.example.com:8443'],
    });
    const derived = loadConfig({ env: { TESSERA_PUBLIC_URL: 'https://login.example.com' } });
    expect(derived.webauthn).toEqual({ rpId: null, rpName: 'Tessera', origins: null });
  });

  it('accepts the boundary cases', () => {
    const config = loadConfig({
      env: {
        TESSERA_ACCESS_TOKEN_TTL: '1d',
        TESSERA_REFRESH_TOKEN_TTL: '86401',
        TESSERA_SESSION_IDLE_TIMEOUT: '1h',
        TESSERA_SESSION_ABSOLUTE_TIMEOUT: '3600',
        TESSERA_LOCKOUT_BASE: '1h',
        TESSERA_PASSWORD_MIN_LENGTH: '64',
        TESSERA_PASSWORD_MAX_LENGTH: '64',
        TESSERA_BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
        TESSERA_BOOTSTRAP_ADMIN_PASSWORD: 'p'.repeat(64),
        TESSERA_COOKIE_MODE: 'true',
        TESSERA_CORS_ORIGINS: 'https://app.example.com',
      },
    });
    expect(config.refreshTokenTtlSeconds).toBe(86_401);
    expect(config.sessionAbsoluteTimeoutSeconds).toBe(config.sessionIdleTimeoutSeconds);
    expect(config.lockout.baseSeconds).toBe(config.lockout.maxSeconds);
    expect(config.bootstrapAdmin?.email).toBe(ADMIN_EMAIL);
  });

  it('mail: SMTP on any host, the dev outbox on loopback or when asked for', () => {
    const smtp = {
      TESSERA_SMTP_URL: 'smtps://u:p@mail.example.com:465',
      TESSERA_MAIL_FROM: 'Example <no-reply@example.com>',
    };
    expect(loadConfig({ env: { ...smtp, TESSERA_HOST: '0.0.0.0' } }).mail).toMatchObject({
      smtpUrl: 'smtps://u:p@mail.example.com:465',
      from: 'Example <no-reply@example.com>',
    });
    expect(loadConfig({ env: { ...smtp, TESSERA_MAIL_DEV_OUTBOX: 'false' } }).mail.devOutbox).toBe('false');
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      expect(loadConfig({ env: { TESSERA_HOST: host } }).mail.smtpUrl).toBeNull();
    }
    expect(
      loadConfig({ env: { TESSERA_HOST: '10.0.0.5', TESSERA_MAIL_DEV_OUTBOX: 'true' } }).mail.devOutbox,
    ).toBe('true');
    expect(loadConfig({ env: { TESSERA_MAIL_RETRY_BASE: '1h' } }).mail.retryBaseSeconds).toBe(3600);
  });

  it('a key set with one suitable key among others is accepted', () => {
    const other = { ...EC_PRIVATE_JWK, kid: 'other', alg: 'ES256' };
    const config = loadConfig({
      env: { TESSERA_SIGNING_KEYS: JSON.stringify({ keys: [other, EC_PRIVATE_JWK] }) },
    });
    expect(config.signingKeys?.keys).toEqual([other, EC_PRIVATE_JWK]);
  });

  /** @see issue #12: these failed only at start, with key_invalid and exit 1, after the stores opened. */
  it.each([
    [
      'an HS256 secret shorter than the hash output',
      {
        TESSERA_ALGORITHM: 'HS256',
        TESSERA_SIGNING_KEYS: JSON.stringify({ keys: [{ kty: 'oct', k: 'c2hvcnQ' }] }),
      },
      /^TESSERA_SIGNING_KEYS: .*at least 32 bytes/,
    ],
    [
      'a key without alg that does not suit TESSERA_ALGORITHM',
      { TESSERA_SIGNING_KEYS: JSON.stringify({ keys: [OCT_JWK, EC_PRIVATE_JWK] }) },
      /^TESSERA_SIGNING_KEYS: .*(secret|asymmetric)/,
    ],
    [
      'a key naming an unsupported alg',
      { TESSERA_SIGNING_KEYS: JSON.stringify({ keys: [{ ...EC_PRIVATE_JWK, alg: 'none' }] }) },
      /^TESSERA_SIGNING_KEYS: .*alg/,
    ],
  ])('refuses %s as a configuration error', (_case, env, message) => {
    const error = configError({ env });
    expect(error.variable).toBe('TESSERA_SIGNING_KEYS');
    expect(error.message).toMatch(message);
  });
});
