import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONFIG_DEFAULTS, deriveIssuer } from '../../../src/config/defaults.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { Config } from '../../../src/config/types.js';

const LAPTOP: Config = {
  host: '127.0.0.1',
  port: 3000,
  issuer: 'http://127.0.0.1:3000',
  publicUrl: 'http://127.0.0.1:3000',
  webauthn: { rpId: null, rpName: 'Tessera', origins: null },
  audience: 'tessera',
  databaseUrl: 'sqlite:./data/tessera.db',
  redisUrl: null,
  redisPrefix: '',
  redisFailureMode: 'closed',
  algorithm: 'ES256',
  signingKeys: null,
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 2_592_000,
  refreshReuseGraceSeconds: 10,
  clockToleranceSeconds: 30,
  stepUpMaxAgeSeconds: 600,
  keyRotationIntervalSeconds: 0,
  sessionIdleTimeoutSeconds: 1800,
  sessionAbsoluteTimeoutSeconds: 604_800,
  defaultLoginMode: 'jwt',
  strictMode: false,
  cookieMode: false,
  cookieSameSite: 'strict',
  cookieSecure: 'auto',
  corsOrigins: [],
  trustProxy: false,
  console: true,
  bodyLimitBytes: 16_384,
  headersTimeoutSeconds: 10,
  requestTimeoutSeconds: 30,
  keepAliveTimeoutSeconds: 72,
  maxConnections: 4096,
  rateLimits: {
    loginPerIp: { max: 20, windowSeconds: 60 },
    loginPerAccount: { max: 10, windowSeconds: 300 },
    registerPerIp: { max: 10, windowSeconds: 3600 },
    refreshPerIp: { max: 120, windowSeconds: 60 },
    recoveryPerIp: { max: 10, windowSeconds: 900 },
    recoveryPerAccount: { max: 3, windowSeconds: 900 },
    linkPerIp: { max: 30, windowSeconds: 900 },
    mfaPerIp: { max: 30, windowSeconds: 60 },
  },
  lockout: { threshold: 5, baseSeconds: 30, maxSeconds: 3600 },
  password: { minLength: 8, maxLength: 128 },
  emailVerification: 'optional',
  accountLinks: {
    verifyEmailTtlSeconds: 86_400,
    passwordResetTtlSeconds: 1800,
    emailChangeTtlSeconds: 86_400,
  },
  mfa: { recentSignInSeconds: 600 },
  bootstrapAdmin: null,
  logLevel: 'info',
  logFormat: 'auto',
  metrics: { enabled: true, allow: ['loopback'], token: null },
  masterKey: null,
  oauthClients: [],
  mail: {
    smtpUrl: null,
    from: null,
    devOutbox: 'auto',
    templatesDir: null,
    maxAttempts: 8,
    retryBaseSeconds: 30,
    retryMaxSeconds: 3600,
  },
};

describe('defaults', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('an empty environment gives the laptop configuration (README.md "Configuration")', () => {
    expect(loadConfig({ env: {} })).toEqual(LAPTOP);
  });

  it('ignores variables without the TESSERA_ prefix', () => {
    expect(loadConfig({ env: { PORT: '8080', HOME: '/root', TESSERA: 'x', tessera_port: '1' } })).toEqual(
      LAPTOP,
    );
  });

  it('reads process.env when no environment is passed', () => {
    vi.stubEnv('TESSERA_PORT', '4321');
    expect(loadConfig().port).toBe(4321);
  });

  it('CONFIG_DEFAULTS is the same table, with issuer left to derivation', () => {
    expect({ ...CONFIG_DEFAULTS, issuer: LAPTOP.issuer, publicUrl: LAPTOP.publicUrl }).toEqual(LAPTOP);
    expect(CONFIG_DEFAULTS.issuer).toBeNull();
    expect(CONFIG_DEFAULTS.publicUrl).toBeNull();
    expect(Object.isFrozen(CONFIG_DEFAULTS.rateLimits.loginPerIp)).toBe(true);
  });

  it('two loads return independent objects and leave the defaults untouched', () => {
    const first = loadConfig({ env: {} });
    const second = loadConfig({ env: { TESSERA_CORS_ORIGINS: 'https://app.example.com' } });
    expect(first).not.toBe(second);
    expect(first.rateLimits).not.toBe(CONFIG_DEFAULTS.rateLimits);
    expect(CONFIG_DEFAULTS.corsOrigins).toEqual([]);
  });
});

describe('issuer derived from host and port', () => {
  it.each([
    [{}, 'http://127.0.0.1:3000'],
    [{ TESSERA_PORT: '8443' }, 'http://127.0.0.1:8443'],
    [{ TESSERA_HOST: 'localhost', TESSERA_PORT: '0' }, 'http://localhost:0'],
    [{ TESSERA_HOST: '0.0.0.0' }, 'http://0.0.0.0:3000'],
    [{ TESSERA_HOST: '::1' }, 'http://[::1]:3000'],
    [{ TESSERA_HOST: 'auth.internal', TESSERA_PORT: '80' }, 'http://auth.internal:80'],
  ])('%j gives %s', (env, issuer) => {
    // Off loopback, mail needs a destination (cross-checks.ts): the development outbox, explicitly.
    expect(loadConfig({ env: { ...env, TESSERA_MAIL_DEV_OUTBOX: 'true' } }).issuer).toBe(issuer);
  });

  it('an explicit TESSERA_ISSUER wins over derivation', () => {
    const config = loadConfig({
      env: {
        TESSERA_HOST: '0.0.0.0',
        TESSERA_ISSUER: 'https://auth.example.com',
        TESSERA_MAIL_DEV_OUTBOX: 'true',
      },
    });
    expect(config.issuer).toBe('https://auth.example.com');
  });

  it('an empty TESSERA_ISSUER means "derive it"', () => {
    expect(loadConfig({ env: { TESSERA_ISSUER: '', TESSERA_PORT: '4000' } }).issuer).toBe(
      'http://127.0.0.1:4000',
    );
  });

  it('the public URL is the issuer unless TESSERA_PUBLIC_URL is set', () => {
    expect(loadConfig({ env: { TESSERA_ISSUER: 'https://auth.example.com' } }).publicUrl).toBe(
      'https://auth.example.com',
    );
    expect(loadConfig({ env: { TESSERA_PORT: '4000' } }).publicUrl).toBe('http://127.0.0.1:4000');
    const both = {
      TESSERA_ISSUER: 'https://auth.example.com',
      TESSERA_PUBLIC_URL: 'https://login.example.com',
    };
    expect(loadConfig({ env: both }).publicUrl).toBe('https://login.example.com');
    expect(() => loadConfig({ env: { TESSERA_PUBLIC_URL: 'ftp://x' } })).toThrow(/TESSERA_PUBLIC_URL/);
  });

  it('deriveIssuer brackets IPv6 literals only once', () => {
    expect(deriveIssuer('fe80::1', 1)).toBe('http://[fe80::1]:1');
    expect(deriveIssuer('[::1]', 2)).toBe('http://[::1]:2');
  });
});
