/** tessera — the package entry point. */
export * from './token/index.js';
export * from './keys/index.js';
export { AuthError, AUTH_ERROR_CODES, isAuthError, type AuthErrorCode } from './errors.js';
// Tessera inside your own app (docs/embedding.md): the Fastify plugin and the Web-standard handler.
export {
  createTesseraHandler,
  tessera,
  type TesseraOptions,
  type TesseraRuntime,
} from './server/embed-tessera.js';
export type { TesseraGuards, HostGuard } from './http/embed/host-guards.js';
export type { TesseraWeb, WebAuthentication, WebHandler } from './http/embed/web-handler.js';
export type { WebRequestContext } from './http/embed/web-bridge.js';
export { nodeHandler, sendWebResponse, toWebRequest } from './http/embed/node-adapter.js';
export type { Principal } from './flows/authenticate/principal.js';
