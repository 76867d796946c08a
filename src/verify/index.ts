/** tessera/verify — verify Tessera access tokens in a resource server (JWKS, revocation feed, middleware). */
export { AuthError, type AuthErrorCode } from '../errors.js';
export { TokenError } from '../token/errors.js';
export type { JwsAlgorithm } from '../token/algorithms.js';
export {
  ACR_LEVELS,
  ACR_MULTI_FACTOR,
  ACR_SINGLE_FACTOR,
  type AcrLevel,
  type AuthenticationMethod,
} from '../wire/authentication-strength.js';
export {
  StepUpRequiredError,
  type AuthenticationRequirement,
  type StepUpChallenge,
} from '../token/step-up.js';
export { bearerAnswer, type BearerAnswer, type BearerErrorCode } from './bearer-answer.js';
export { readBearerToken } from './bearer-token.js';
export {
  checkRequirements,
  requireRoles,
  requireScopes,
  type ClaimRequirements,
} from './claim-requirements.js';
export {
  authenticateRequest,
  type AuthOutcome,
  type PresentedRequest,
  type RouteAuthOptions,
} from './authenticate-request.js';
export { authorizationValues } from '../token/bearer-credential.js';
export {
  createVerifier,
  type VerifiedClaims,
  type Verifier,
  type VerifierHealth,
  type VerifierOptions,
} from './create-verifier.js';
export {
  expressClaimsOf,
  expressRequireToken,
  type ExpressLikeNext,
  type ExpressLikeRequest,
  type ExpressLikeResponse,
} from './express-middleware.js';
export {
  fastifyRequireToken,
  tesseraVerifyPlugin,
  tokenClaimsOf,
  type TesseraVerifyPluginOptions,
} from './fastify-plugin.js';
export type { RemoteJwksHealth, RemoteJwksOptions } from './remote-jwks.js';
export type { RevocationPollerHealth, RevocationPollerOptions } from './revocation-feed-poller.js';
export type { StaticKeys } from './static-keys.js';
