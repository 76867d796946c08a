/** tessera/token — strict JWS/JWT over node:crypto (RFC 7515, 7518, 7519, 8037, 8725). */
export {
  ALGORITHMS,
  JWS_ALGORITHMS,
  isJwsAlgorithm,
  type AlgorithmSpec,
  type JwsAlgorithm,
} from './algorithms.js';
export { encodeBase64url, decodeBase64url, isStrictBase64url } from './base64url.js';
export { DEFAULT_CLOCK_TOLERANCE_SECONDS, MAX_CLOCK_TOLERANCE_SECONDS, type JwtClaims } from './claims.js';
export { decodeJwtUnverified } from './decode.js';
export { KeyError, TokenError } from './errors.js';
export { MAX_KID_LENGTH, type JoseHeader } from './jose-header.js';
export { asKeyLookup, type JwsKey, type KeyLookup } from './key.js';
export { signEncodedJws, signJws } from './jws-sign.js';
export { DEFAULT_MAX_TOKEN_BYTES, verifyJws } from './jws-verify.js';
export { signJwt, type SignJwtOptions } from './jwt-sign.js';
export {
  createJwtVerifier,
  verifyJwt,
  type JwtVerifier,
  type JwtVerifierOptions,
  type VerifiedJwt,
  type VerifyJwtOptions,
} from './jwt-verify.js';
export { MAX_JSON_DEPTH } from './strict-json.js';
