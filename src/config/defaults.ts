import { deepFreeze } from '../token/deep-freeze.js';
import type { Config } from './types.js';

/** The defaults, except `issuer`: null here means "derive it from host and port" (deriveIssuer). */
export type ConfigDefaults = Omit<Config, 'issuer'> & { issuer: null };

/**
 * Defaults serve a laptop (README.md, "Configuration"): loopback only, SQLite in ./data, no Redis,
 * ES256, 15-minute access tokens and 30-day refresh tokens. Production changes what it needs through
 * TESSERA_* variables; nothing here is a secret, so nothing here needs changing to be safe.
 */
export const CONFIG_DEFAULTS: Readonly<ConfigDefaults> = deepFreeze({
  host: '127.0.0.1',
  port: 3000,
  issuer: null,
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
  // Longer than the 60 s idle timeout of common load balancers, so they never reuse a closed connection.
  keepAliveTimeoutSeconds: 72,
  maxConnections: 4096,
  rateLimits: {
    loginPerIp: { max: 20, windowSeconds: 60 },
    loginPerAccount: { max: 10, windowSeconds: 300 },
    registerPerIp: { max: 10, windowSeconds: 3600 },
    refreshPerIp: { max: 120, windowSeconds: 60 },
  },
  lockout: { threshold: 5, baseSeconds: 30, maxSeconds: 3600 },
  password: { minLength: 8, maxLength: 128 },
  bootstrapAdmin: null,
  logLevel: 'info',
  logFormat: 'auto',
  masterKey: null,
  oauthClients: [],
} satisfies ConfigDefaults);

/** The issuer when none is configured: the URL the server listens on. IPv6 literals need brackets (RFC 3986 §3.2.2). */
export function deriveIssuer(host: string, port: number): string {
  const literal = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${literal}:${port}`;
}
