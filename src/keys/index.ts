/** tessera/keys — import, generate, thumbprint, JWK/JWKS export and the keyring. */
export { generateKey } from './generate-key.js';
export { importKey, type ImportKeyInput, type KeyMaterial } from './import-key.js';
export {
  importJwks,
  importSigningJwks,
  importVerificationKeys,
  type ImportVerificationKeysOptions,
} from './import-jwks.js';
export {
  importPublishedJwks,
  type ImportPublishedJwksOptions,
  type SkippedJwk,
} from './import-published-jwks.js';
export { exportPrivateJwk, exportPublicJwk, type Jwk } from './jwk.js';
export { buildJwks, type JwksDocument } from './jwks.js';
export { KeyRing } from './keyring.js';
export { computeJwkThumbprint } from './thumbprint.js';
