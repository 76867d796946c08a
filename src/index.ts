/** tessera — the package entry point. */
export * from './token/index.js';
export * from './keys/index.js';
export { AuthError, AUTH_ERROR_CODES, isAuthError, type AuthErrorCode } from './errors.js';
