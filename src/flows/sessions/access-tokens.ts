import type { Config } from '../../config/types.js';
import type { KeyRing } from '../../keys/keyring.js';
import { toNumericDate } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import type { SessionRecord, UserRecord } from '../../stores/types.js';
import { createJwtVerifier, type JwtVerifier } from '../../token/jwt-verify.js';
import { signJwt } from '../../token/jwt-sign.js';
import { TokenError } from '../../token/errors.js';
import type { AccessClaims } from '../../wire/access-claims.js';

/** The client id stamped on tokens Tessera issues to its own first-party clients (RFC 9068 §2.2). */
export const FIRST_PARTY_CLIENT_ID = 'tessera';
export const ACCESS_TOKEN_TYP = 'at+jwt';

/**
 * Claims of a Tessera access token: the wire's AccessClaims (what the SDK decodes), plus `scope` on
 * tokens of OAuth clients (RFC 9068 §2.2.3) and any custom claim.
 */
export interface AccessTokenClaims extends AccessClaims {
  scope?: string;
  [claim: string]: unknown;
}

/** RFC 8176 `amr` and the `acr` level of the sign-in a token comes from, when the proof states them. */
export interface AccessTokenStrength {
  amr: readonly string[];
  acr: string;
}

export interface AccessTokenService {
  issue(
    user: UserRecord,
    session: SessionRecord,
    now: Date,
    strength?: AccessTokenStrength,
  ): { token: string; expiresIn: number; claims: AccessTokenClaims };
  verify(token: string, now: Date): AccessTokenClaims;
}

/**
 * Signs with the keyring's current key; verifies with a verifier bound to iss, aud and typ. The
 * verified-token cache (on by default) makes repeat requests with one token nearly free; a key
 * change empties it.
 */
export function createAccessTokenService(
  keys: KeyRing,
  config: Config,
  random: Random,
  options: { verifiedTokenCache?: boolean } = {},
): AccessTokenService {
  const verifier: JwtVerifier = createJwtVerifier(keys, {
    issuer: config.issuer,
    audience: config.audience,
    typ: ACCESS_TOKEN_TYP,
    clockToleranceSeconds: config.clockToleranceSeconds,
    requiredClaims: ['sub', 'sid', 'jti', 'iat', 'roles'],
    ...(options.verifiedTokenCache === false ? {} : { cache: { maxEntries: 10_000, ttlSeconds: 60 } }),
  });
  return {
    issue(user, session, now, strength) {
      const iat = toNumericDate(now);
      const claims: AccessTokenClaims = {
        iss: config.issuer,
        sub: user.id,
        aud: config.audience,
        exp: iat + config.accessTokenTtlSeconds,
        iat,
        jti: Buffer.from(random.bytes(16)).toString('base64url'),
        sid: session.id,
        client_id: session.clientId ?? FIRST_PARTY_CLIENT_ID,
        auth_time: toNumericDate(session.createdAt),
        roles: [...user.roles],
        ...(strength !== undefined && { amr: [...strength.amr], acr: strength.acr }),
        // RFC 9068 §2.2.3: the scope granted to an OAuth client, space-delimited.
        ...(session.scope !== undefined && session.scope !== '' && { scope: session.scope }),
      };
      return {
        token: signJwt(claims, keys.signingKey, { typ: ACCESS_TOKEN_TYP }),
        expiresIn: config.accessTokenTtlSeconds,
        claims,
      };
    },
    verify(token, now) {
      const { payload } = verifier.verify<AccessTokenClaims>(token, now);
      if (typeof payload.sid !== 'string' || payload.sid.length === 0) {
        throw new TokenError('token_claim_invalid', 'The "sid" claim must be a string.', { claim: 'sid' });
      }
      if (!Array.isArray(payload.roles) || !payload.roles.every((role) => typeof role === 'string')) {
        throw new TokenError('token_claim_invalid', 'The "roles" claim must be an array of strings.', {
          claim: 'roles',
        });
      }
      return payload as AccessTokenClaims;
    },
  };
}
