import { randomBytes, randomUUID } from 'node:crypto';
import { buildJwks, generateKey, type JwksDocument } from '../../src/keys/index.js';
import { signJwt, type JwsKey, type JwtClaims } from '../../src/token/index.js';
import { ALGORITHM, AUDIENCE, ISSUER, TOKEN_TTL_SECONDS, TOKEN_TYPE } from './policy.js';

/** The key, its JWKS and the tokens every contender verifies (or must refuse). */
export interface VerifyFixture {
  readonly key: JwsKey;
  readonly jwks: JwksDocument;
  /** The public key as PEM: what fast-jwt and @fastify/jwt take. */
  readonly publicKeyPem: string;
  readonly claims: Readonly<JwtClaims>;
  /** A Tessera access token with those claims: the one token every row verifies. */
  readonly token: string;
  /** Tokens every contender must refuse: a changed signature, another audience, another typ. */
  readonly refused: Readonly<Record<'tampered' | 'wrongAudience' | 'wrongType', string>>;
}

/** An ES256 access token shaped like the ones Tessera issues (src/flows/sessions/access-tokens.ts). */
export function createVerifyFixture(nowSeconds: number): VerifyFixture {
  const key = generateKey(ALGORITHM, { kid: 'bench-verify-es256' });
  const claims: Readonly<JwtClaims> = Object.freeze({
    iss: ISSUER,
    sub: 'user-8f14e45f',
    aud: AUDIENCE,
    exp: nowSeconds + TOKEN_TTL_SECONDS,
    iat: nowSeconds,
    jti: randomBytes(16).toString('base64url'),
    sid: randomUUID(),
    client_id: 'tessera',
    auth_time: nowSeconds - 60,
    roles: ['user', 'billing:read', 'billing:write'],
  });
  const token = signJwt(claims, key, { typ: TOKEN_TYPE });
  return {
    key,
    jwks: buildJwks([key]),
    publicKeyPem: key.verificationKey.export({ type: 'spki', format: 'pem' }) as string,
    claims,
    token,
    refused: {
      tampered: tamperedToken(token),
      wrongAudience: signJwt({ ...claims, aud: 'https://other-api.test' }, key, { typ: TOKEN_TYPE }),
      wrongType: signJwt(claims, key, { typ: 'JWT' }),
    },
  };
}

/** The token with one signature character changed (well inside it, never its padding bits). */
function tamperedToken(token: string): string {
  const at = token.lastIndexOf('.') + 4;
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
}
