import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { InvalidValue, nullable } from '../../../src/config/codec.js';
import {
  byteSize,
  duration,
  formatDuration,
  parseDurationSeconds,
} from '../../../src/config/scalar-codecs.js';
import { JWS_ALGORITHMS } from '../../../src/token/algorithms.js';
import { MASTER_KEY_HEX } from './fixtures.js';

const load = (env: Record<string, string>) => loadConfig({ env });

describe('durations: plain seconds or a unit suffix', () => {
  it.each([
    ['900', 900],
    ['900s', 900],
    ['15m', 900],
    ['12h', 43_200],
    ['1d', 86_400],
    ['0', 0],
    [900, 900],
  ])('%j is %d seconds', (input, seconds) => {
    expect(parseDurationSeconds(input)).toBe(seconds);
  });

  it.each(['', '15 m', '15M', '1w', '1.5h', '-5', '+5', 'm', '15mm', 1.5, -1, true, null])(
    '%j is not a duration',
    (input) => {
      expect(parseDurationSeconds(input)).toBeUndefined();
    },
  );

  it.each([
    [2_592_000, '30d'],
    [900, '15m'],
    [3600, '1h'],
    [90, '90s'],
    [0, '0s'],
  ])('formats %d as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('every TTL variable takes the suffix form', () => {
    const config = load({
      TESSERA_ACCESS_TOKEN_TTL: '5m',
      TESSERA_REFRESH_TOKEN_TTL: '7d',
      TESSERA_REFRESH_REUSE_GRACE: '0',
      TESSERA_CLOCK_TOLERANCE: '1m',
      TESSERA_SESSION_IDLE_TIMEOUT: '2h',
      TESSERA_SESSION_ABSOLUTE_TIMEOUT: '1d',
      TESSERA_LOCKOUT_BASE: '1m',
      TESSERA_LOCKOUT_MAX: '1d',
    });
    expect(config).toMatchObject({
      accessTokenTtlSeconds: 300,
      refreshTokenTtlSeconds: 604_800,
      refreshReuseGraceSeconds: 0,
      clockToleranceSeconds: 60,
      sessionIdleTimeoutSeconds: 7200,
      sessionAbsoluteTimeoutSeconds: 86_400,
      lockout: { threshold: 5, baseSeconds: 60, maxSeconds: 86_400 },
    });
  });

  it('the range bounds are inclusive', () => {
    expect(load({ TESSERA_ACCESS_TOKEN_TTL: '1d' }).accessTokenTtlSeconds).toBe(86_400);
    expect(load({ TESSERA_ACCESS_TOKEN_TTL: '1' }).accessTokenTtlSeconds).toBe(1);
    expect(load({ TESSERA_REFRESH_REUSE_GRACE: '300' }).refreshReuseGraceSeconds).toBe(300);
    expect(load({ TESSERA_CLOCK_TOLERANCE: '5m' }).clockToleranceSeconds).toBe(300);
    expect(duration(0, 300).parse('300s')).toBe(300);
  });
});

describe('integers', () => {
  it.each([
    ['0', 0],
    ['65535', 65_535],
    ['08080', 8080],
  ])('TESSERA_PORT=%s is %d', (input, port) => {
    expect(load({ TESSERA_PORT: input }).port).toBe(port);
  });

  it('password and lockout numbers', () => {
    const config = load({
      TESSERA_PASSWORD_MIN_LENGTH: '12',
      TESSERA_PASSWORD_MAX_LENGTH: '1024',
      TESSERA_LOCKOUT_THRESHOLD: '1',
    });
    expect(config.password).toEqual({ minLength: 12, maxLength: 1024 });
    expect(config.lockout.threshold).toBe(1);
  });
});

describe('booleans', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['Yes', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['no', false],
  ])('%s is %s', (input, value) => {
    const config = load({
      TESSERA_STRICT_MODE: input,
      TESSERA_COOKIE_MODE: input,
      TESSERA_TRUST_PROXY: input,
    });
    expect([config.strictMode, config.cookieMode, config.trustProxy]).toEqual([value, value, value]);
  });
});

describe('enumerations', () => {
  it('take each listed value', () => {
    expect(load({ TESSERA_DEFAULT_LOGIN_MODE: 'session' }).defaultLoginMode).toBe('session');
    expect(load({ TESSERA_COOKIE_SAMESITE: 'lax' }).cookieSameSite).toBe('lax');
    for (const value of ['closed', 'open'] as const) {
      expect(load({ TESSERA_REDIS_FAILURE_MODE: value }).redisFailureMode).toBe(value);
    }
    for (const value of ['auto', 'always', 'never'] as const) {
      expect(load({ TESSERA_COOKIE_SECURE: value }).cookieSecure).toBe(value);
    }
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const) {
      expect(load({ TESSERA_LOG_LEVEL: level }).logLevel).toBe(level);
    }
    for (const format of ['auto', 'json', 'text'] as const) {
      expect(load({ TESSERA_LOG_FORMAT: format }).logFormat).toBe(format);
    }
  });

  it.each(JWS_ALGORITHMS)('TESSERA_ALGORITHM=%s', (alg) => {
    expect(load({ TESSERA_ALGORITHM: alg }).algorithm).toBe(alg);
  });
});

describe('body limit', () => {
  it.each([
    ['1024', 1024],
    ['16kb', 16_384],
    ['16KiB', 16_384],
    ['1mb', 1_048_576],
    ['10MB', 10_485_760],
    ['2048b', 2048],
  ])('%s is %d bytes', (input, bytes) => {
    expect(load({ TESSERA_BODY_LIMIT: input }).bodyLimitBytes).toBe(bytes);
  });

  it('accepts a JSON number from the file', () => {
    expect(byteSize(1024, 2048).parse(1500)).toBe(1500);
  });
});

describe('rate limits: "<max>/<window>"', () => {
  it.each([
    ['20/60s', { max: 20, windowSeconds: 60 }],
    ['5/1m', { max: 5, windowSeconds: 60 }],
    ['100/1h', { max: 100, windowSeconds: 3600 }],
    ['7/30', { max: 7, windowSeconds: 30 }],
    ['1/1d', { max: 1, windowSeconds: 86_400 }],
  ])('%s', (input, rule) => {
    const config = load({
      TESSERA_RATE_LIMIT_LOGIN_IP: input,
      TESSERA_RATE_LIMIT_LOGIN_ACCOUNT: input,
      TESSERA_RATE_LIMIT_REGISTER_IP: input,
      TESSERA_RATE_LIMIT_REFRESH_IP: input,
      TESSERA_RATE_LIMIT_RECOVERY_IP: input,
      TESSERA_RATE_LIMIT_RECOVERY_ACCOUNT: input,
      TESSERA_RATE_LIMIT_LINK_IP: input,
      TESSERA_RATE_LIMIT_MFA_IP: input,
    });
    expect(config.rateLimits).toEqual({
      loginPerIp: rule,
      loginPerAccount: rule,
      registerPerIp: rule,
      refreshPerIp: rule,
      recoveryPerIp: rule,
      recoveryPerAccount: rule,
      linkPerIp: rule,
      mfaPerIp: rule,
    });
  });
});

describe('CORS origins', () => {
  it.each([
    ['', []],
    ['*', ['*']],
    ['https://app.example.com', ['https://app.example.com']],
    ['https://app.example.com, http://localhost:5173', ['https://app.example.com', 'http://localhost:5173']],
    ['https://APP.example.com:443', ['https://app.example.com']],
    ['http://[::1]:8080', ['http://[::1]:8080']],
    ['https://a.example,https://a.example', ['https://a.example']],
  ])('%j gives %j', (input, origins) => {
    expect(load({ TESSERA_CORS_ORIGINS: input }).corsOrigins).toEqual(origins);
  });

  it('* is fine while cookie mode is off', () => {
    expect(load({ TESSERA_CORS_ORIGINS: '*', TESSERA_COOKIE_MODE: 'false' }).corsOrigins).toEqual(['*']);
  });
});

describe('URLs and names', () => {
  it.each([
    'sqlite::memory:',
    'sqlite:/var/lib/tessera.db',
    'postgres://u:p@db:5432/tessera',
    'postgresql://db/tessera',
  ])('TESSERA_DATABASE_URL=%s', (url) => {
    expect(load({ TESSERA_DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it.each(['redis://localhost:6379', 'rediss://:secret@cache.internal:6380/2'])(
    'TESSERA_REDIS_URL=%s',
    (url) => {
      expect(load({ TESSERA_REDIS_URL: url }).redisUrl).toBe(url);
    },
  );

  it('an empty TESSERA_REDIS_URL means no Redis', () => {
    expect(load({ TESSERA_REDIS_URL: '' }).redisUrl).toBeNull();
  });

  it.each(['https://auth.example.com', 'http://localhost:3000', 'https://example.com/tenants/a'])(
    'TESSERA_ISSUER=%s',
    (issuer) => {
      expect(load({ TESSERA_ISSUER: issuer }).issuer).toBe(issuer);
    },
  );

  it.each(['localhost', '0.0.0.0', '::', '10.1.2.3', 'auth-1.internal.example'])(
    'TESSERA_HOST=%s',
    (host) => {
      // Off loopback, mail needs a destination (cross-checks.ts): here the development outbox, explicitly.
      expect(load({ TESSERA_HOST: host, TESSERA_MAIL_DEV_OUTBOX: 'true' }).host).toBe(host);
    },
  );

  it('audience is any non-empty string', () => {
    expect(load({ TESSERA_AUDIENCE: 'https://api.example.com' }).audience).toBe('https://api.example.com');
  });
});

describe('master key: 32 bytes, base64 or hex', () => {
  const bytes = randomBytes(32);
  it.each([
    ['hex', MASTER_KEY_HEX],
    ['upper-case hex', MASTER_KEY_HEX.toUpperCase()],
    ['base64', bytes.toString('base64')],
    ['base64 without padding', bytes.toString('base64').replace(/=$/, '')],
    ['base64url', bytes.toString('base64url')],
  ])('%s', (_name, key) => {
    expect(load({ TESSERA_MASTER_KEY: key }).masterKey).toBe(key);
  });

  it('an empty value means no master key', () => {
    expect(load({ TESSERA_MASTER_KEY: '' }).masterKey).toBeNull();
  });
});

describe('bootstrap admin', () => {
  it('both variables give the admin', () => {
    const config = load({
      TESSERA_BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
      TESSERA_BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery staple',
    });
    expect(config.bootstrapAdmin).toEqual({
      email: 'admin@example.com',
      password: 'correct horse battery staple',
    });
  });

  it('counts the password in code points, as the password flows do', () => {
    // 8 emoji are 16 UTF-16 units but 8 characters: exactly the minimum.
    const config = load({
      TESSERA_BOOTSTRAP_ADMIN_EMAIL: 'a@example.com',
      TESSERA_BOOTSTRAP_ADMIN_PASSWORD: '🔑'.repeat(8),
    });
    expect(config.bootstrapAdmin?.password).toBe('🔑'.repeat(8));
  });
});

describe('nullable()', () => {
  const codec = nullable(duration(1));
  it('turns "" and null into null and parses the rest', () => {
    expect(codec.parse('')).toBeNull();
    expect(codec.parse(null)).toBeNull();
    expect(codec.parse('2m')).toBe(120);
    expect(() => codec.parse('0')).toThrow(InvalidValue);
    expect(codec.format(null)).toBeNull();
    expect(codec.format(120)).toBe('2m');
  });
});
