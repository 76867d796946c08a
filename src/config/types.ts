import type { JwsAlgorithm } from '../token/algorithms.js';

export type LoginMode = 'jwt' | 'session';
export type SameSite = 'strict' | 'lax';
/** What strict mode does while the Redis revocation fan-out is down: refuse (503) or read the store. */
export type RedisFailureMode = 'closed' | 'open';

export interface RateLimitRule {
  /** Requests allowed per window. */
  max: number;
  windowSeconds: number;
}

/**
 * The whole configuration, validated and deep-frozen at start (src/config/load-config.ts). Every
 * field has a default that serves a laptop; each is set by one TESSERA_* variable (see defaults.ts).
 */
export interface Config {
  host: string;
  port: number;
  /** `iss` of issued tokens; default http://<host>:<port>. */
  issuer: string;
  /** `aud` of issued access tokens and what /api/* accepts. */
  audience: string;
  /** sqlite:<path> | sqlite::memory: | postgres://… */
  databaseUrl: string;
  redisUrl: string | null;
  /**
   * Strict mode while the revocation fan-out through Redis is down: 'closed' answers 503 (a revocation
   * another instance announced meanwhile could be missed), 'open' reads the session from the store.
   */
  /** Namespace after `tessera:` in every Redis key and channel (e.g. `staging:`); empty by default. */
  redisPrefix: string;
  redisFailureMode: RedisFailureMode;
  algorithm: JwsAlgorithm;
  /** A JWK Set with private keys; when set, Tessera signs with it and generates nothing. */
  signingKeys: { keys: Record<string, unknown>[] } | null;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  refreshReuseGraceSeconds: number;
  clockToleranceSeconds: number;
  /** Automatic signing-key rotation: a new key once the current one is this old; 0 = manual only. */
  keyRotationIntervalSeconds: number;
  /** Session mode (stateful tokens). */
  sessionIdleTimeoutSeconds: number;
  sessionAbsoluteTimeoutSeconds: number;
  defaultLoginMode: LoginMode;
  /** Check the access token's session on every request: logout takes effect before `exp`. */
  strictMode: boolean;
  /** Deliver tokens as __Host- cookies by default (a login can also ask with ?delivery=cookie). */
  cookieMode: boolean;
  cookieSameSite: SameSite;
  /** Secure cookies: 'auto' = when the request came over TLS. __Host- cookies need Secure, so plain HTTP gets un-prefixed names. */
  cookieSecure: 'auto' | 'always' | 'never';
  corsOrigins: string[];
  trustProxy: boolean;
  /** Serve the web console (dist/console) at `/`. */
  console: boolean;
  bodyLimitBytes: number;
  /** How long the request line and header fields may take to arrive (slow-header clients are cut off). */
  headersTimeoutSeconds: number;
  /** How long a whole request (headers and body) may take to arrive; never the time to answer it. */
  requestTimeoutSeconds: number;
  /** How long an idle keep-alive connection stays open after a response. */
  keepAliveTimeoutSeconds: number;
  /** Open connections at most; beyond it Node closes new ones at once. */
  maxConnections: number;
  rateLimits: {
    loginPerIp: RateLimitRule;
    loginPerAccount: RateLimitRule;
    registerPerIp: RateLimitRule;
    refreshPerIp: RateLimitRule;
  };
  lockout: {
    /** Failed logins in a row before the account locks. */
    threshold: number;
    /** First lock length; doubles with each further failure, capped at maxSeconds. */
    baseSeconds: number;
    maxSeconds: number;
  };
  password: { minLength: number; maxLength: number };
  bootstrapAdmin: { email: string; password: string } | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `json`: pino lines; `text`: a start-up banner and one short line per event; `auto`: text on a terminal. */
  logFormat: 'auto' | 'json' | 'text';
  /** AES-256-GCM key (base64/hex, 32 bytes) for private keys at rest; null = stored in clear. */
  masterKey: string | null;
  /** OAuth clients registered by configuration (TESSERA_OAUTH_CLIENTS), besides those the CLI stores. */
  oauthClients: readonly ConfiguredClient[];
}

/** An OAuth client from configuration; a confidential client's secret is given only as its SHA-256. */
export interface ConfiguredClient {
  clientId: string;
  name: string;
  type: 'public' | 'confidential';
  /** base64url SHA-256 of the client secret; null for public clients. */
  secretHash: string | null;
  grantTypes: ('password' | 'refresh_token')[];
  scopes: string[];
}
