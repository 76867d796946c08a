import type { ConfigShape } from './config-shape.js';

export type LoginMode = ConfigShape['defaultLoginMode'];
export type SameSite = ConfigShape['cookieSameSite'];
/** What strict mode does while the Redis revocation fan-out is down: refuse (503) or read the store. */
export type RedisFailureMode = ConfigShape['redisFailureMode'];

export interface RateLimitRule {
  /** Requests allowed per window. */
  max: number;
  windowSeconds: number;
}

/**
 * The whole configuration, validated and deep-frozen at start (src/config/load-config.ts). Its type is
 * derived from the schema (src/config/schema.ts), which says what each field does and its default: every
 * field has a default that serves a laptop and is set by one TESSERA_* variable or config-file field.
 */
export type Config = ConfigShape;

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
