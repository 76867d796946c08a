import { refuseQueryToken } from '../token/bearer-credential.js';
import { bearerAnswer, type BearerAnswer } from './bearer-answer.js';
import { readBearerToken } from './bearer-token.js';
import { checkRequirements, type ClaimRequirements } from './claim-requirements.js';
import type { VerifiedClaims, Verifier } from './create-verifier.js';

/** What the middlewares share: read the header, verify, check roles and scopes, then the sign-in's strength. */
export interface RouteAuthOptions extends ClaimRequirements {
  /** The realm of the Bearer challenge; default 'api'. */
  realm?: string;
}

/** The parts of a request that carry (or must not carry) the access token. */
export interface PresentedRequest {
  /** Every Authorization header value (`authorizationValues(rawHeaders)`), or the single value. */
  authorization: string | readonly string[] | undefined;
  /** The request target (path and query): an `access_token` in its query is refused (RFC 6750 §5.3). */
  url?: string | undefined;
}

export type AuthOutcome = { ok: true; claims: VerifiedClaims } | { ok: false; answer: BearerAnswer };

/**
 * Never throws: every refusal comes back as the RFC 6750 answer to send. Pass the request's
 * Authorization value(s) and URL (or, as before, the Authorization value(s) alone).
 */
export async function authenticateRequest(
  verifier: Verifier,
  request: PresentedRequest | string | readonly string[] | undefined,
  options: RouteAuthOptions,
): Promise<AuthOutcome> {
  const presented = isPresentedRequest(request) ? request : { authorization: request };
  try {
    if (presented.url !== undefined) refuseQueryToken(presented.url);
    const claims = await verifier.verify(readBearerToken(presented.authorization));
    checkRequirements(claims, options);
    verifier.checkAuthentication(claims, options);
    return { ok: true, claims };
  } catch (error) {
    return { ok: false, answer: bearerAnswer(error, options.realm ?? 'api') };
  }
}

function isPresentedRequest(value: unknown): value is PresentedRequest {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
