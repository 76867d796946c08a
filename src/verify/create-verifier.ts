import type { JwksDocument } from '../keys/jwks.js';
import { AuthError } from '../errors.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { JwsAlgorithm } from '../token/algorithms.js';
import type { JwtClaims } from '../token/claims.js';
import { TokenError } from '../token/errors.js';
import { createJwtVerifier } from '../token/jwt-verify.js';
import type { KeyLookup } from '../token/key.js';
import {
  assertValidRequirement,
  checkAuthentication,
  hasRequirement,
  type AuthenticationRequirement,
} from '../token/step-up.js';
import { RemoteJwks, type RemoteJwksHealth, type RemoteJwksOptions } from './remote-jwks.js';
import {
  RevocationFeedPoller,
  type RevocationPollerHealth,
  type RevocationPollerOptions,
} from './revocation-feed-poller.js';
import { importStaticKeys, type StaticKeys } from './static-keys.js';

export interface VerifierOptions {
  /** Where the keys come from: a JWKS URL (cached, refetched on rotation) … */
  jwksUri?: string;
  /** … or static keys (a JWKS document, JWKs, KeyObjects). Exactly one of the two. */
  keys?: StaticKeys | JwksDocument;
  issuer: string | readonly string[];
  audience: string | readonly string[];
  /** The algorithms accepted, required: an explicit allow-list (RFC 8725 §3.1). */
  algorithms: readonly JwsAlgorithm[];
  /** Allowed clock skew, 0 to 300 seconds; default 30. */
  clockToleranceSeconds?: number;
  /** Expected header `typ`; default 'at+jwt' (RFC 9068). */
  typ?: string;
  /** Verified tokens remembered (LRU); default 10,000, 0 turns the cache off. */
  cacheMaxEntries?: number;
  /** JWKS caching and refetch bounds (the URL comes from jwksUri). */
  jwks?: Omit<RemoteJwksOptions, 'url' | 'clock' | 'fetch'>;
  /** Follow Tessera's revocation feed and refuse tokens of revoked sessions (`session_revoked`). */
  revocations?: RevocationPollerOptions;
  /** For tests: the clock and the fetch used for the JWKS and the feed. */
  clock?: Clock;
  fetch?: typeof fetch;
}

/** Claims of a verified token: registered claims plus whatever else it carried (roles, scope, sid…). */
export type VerifiedClaims = Readonly<JwtClaims & Record<string, unknown>>;

export interface VerifierHealth {
  jwks: RemoteJwksHealth | undefined;
  revocations: RevocationPollerHealth | undefined;
}

export interface Verifier {
  /**
   * Verifies a bearer token; throws AuthError (TokenError for the token itself) with a stable code.
   * With a requirement, also checks the sign-in behind it (checkAuthentication).
   *
   * @example
   * ```ts
   * import { ACR_MULTI_FACTOR, StepUpRequiredError } from 'tessera/verify';
   *
   * try {
   *   const claims = await verifier.verify(token, { acr: ACR_MULTI_FACTOR, maxAgeSeconds: 300 });
   *   console.log('two-factor sign-in', claims.auth_time);
   * } catch (error) {
   *   if (error instanceof StepUpRequiredError) console.log(error.challenge.acrValues);
   *   else throw error;
   * }
   * ```
   */
  verify(token: unknown, required?: AuthenticationRequirement): Promise<VerifiedClaims>;
  /**
   * RFC 9470 step-up: throws StepUpRequiredError (code `insufficient_user_authentication`, with the
   * challenge's `acr_values` and `max_age`) unless the verified claims' `acr` is at least as strong as
   * `required.acr` (by position in ACR_LEVELS) and their `auth_time` is at most `required.maxAgeSeconds`
   * old (within the clock tolerance). A token without `acr` or `auth_time` fails what it cannot show.
   * Throws TypeError for a requirement naming an unknown level or a bad age (a programming error).
   */
  checkAuthentication(claims: VerifiedClaims, required: AuthenticationRequirement): void;
  health(): VerifierHealth;
  /** Resolves once no JWKS fetch is in flight: a stale key set is refreshed in the background. */
  keysSettled(): Promise<void>;
  /** Polls the revocation feed now (e.g. on a webhook) instead of waiting for the interval; no-op without one. */
  syncRevocations(): Promise<void>;
  /** Stops the revocation poller. */
  close(): void;
}

/**
 * A resource server's verifier of Tessera access tokens (or any RFC 9068 JWT): keys from a JWKS URL
 * or given statically, the strict token core of src/token, a cache of verified tokens, and optionally
 * the revocation feed. Starts polling the feed at once when one is configured.
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const clock = options.clock ?? systemClock;
  if ((options.jwksUri === undefined) === (options.keys === undefined))
    throw new TypeError('createVerifier needs exactly one of jwksUri and keys.');
  if (!Array.isArray(options.algorithms) || options.algorithms.length === 0)
    throw new TypeError('createVerifier needs a non-empty algorithms allow-list.');
  const remote =
    options.jwksUri === undefined
      ? undefined
      : new RemoteJwks({ ...options.jwks, url: options.jwksUri, clock, fetch: options.fetch });
  const lookup: KeyLookup = remote ?? importStaticKeys(options.keys!, options.algorithms);
  const cacheMaxEntries = options.cacheMaxEntries ?? 10_000;
  const tolerance = options.clockToleranceSeconds ?? 30;
  const jwt = createJwtVerifier(lookup, {
    issuer: options.issuer,
    audience: options.audience,
    algorithms: options.algorithms,
    typ: options.typ ?? 'at+jwt',
    clockToleranceSeconds: tolerance,
    requiredClaims: options.revocations === undefined ? ['sub'] : ['sub', 'sid'],
    ...(cacheMaxEntries > 0 ? { cache: { maxEntries: cacheMaxEntries, ttlSeconds: 60 } } : {}),
  });
  const poller =
    options.revocations === undefined
      ? undefined
      : new RevocationFeedPoller({
          ...options.revocations,
          clock,
          fetch: options.fetch,
          clockToleranceSeconds: tolerance,
        });
  poller?.start();

  const verifySignedToken = async (token: unknown): Promise<VerifiedClaims> => {
    if (remote !== undefined) {
      await remote.ensureFresh();
      if (!remote.health().loaded)
        throw new AuthError('service_unavailable', 'The verification keys are not available.');
    }
    try {
      return jwt.verify(token, clock.now()).payload as VerifiedClaims;
    } catch (error) {
      if (remote === undefined || !(error instanceof TokenError) || error.code !== 'key_not_found')
        throw error;
      // Perhaps a key published since the last fetch: look once (the cooldown bounds how often).
      const before = remote.version;
      await remote.refreshForUnknownKid();
      if (remote.version === before) throw error;
      return jwt.verify(token, clock.now()).payload as VerifiedClaims;
    }
  };

  const checkStrength = (claims: VerifiedClaims, required: AuthenticationRequirement): void => {
    assertValidRequirement(required);
    if (hasRequirement(required)) checkAuthentication(claims, required, clock.now(), tolerance);
  };

  return {
    async verify(token, required) {
      if (poller !== undefined) {
        await poller.settle();
        poller.assertUsable();
      }
      const claims = await verifySignedToken(token);
      if (poller !== undefined) {
        if (typeof claims.sid !== 'string')
          throw new TokenError('token_claim_invalid', 'The "sid" claim is not a string.', { claim: 'sid' });
        if (poller.isRevoked(claims.sid))
          throw new AuthError('session_revoked', 'The session of this token has been revoked.');
      }
      if (required !== undefined) checkStrength(claims, required);
      return claims;
    },
    checkAuthentication: checkStrength,
    health: () => ({ jwks: remote?.health(), revocations: poller?.health() }),
    keysSettled: async () => remote?.settled(),
    syncRevocations: async () => poller?.pollOnce(),
    close: () => poller?.stop(),
  };
}
