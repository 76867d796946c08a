import { bearerAnswer, type BearerAnswer } from './bearer-answer.js';
import { readBearerToken } from './bearer-token.js';
import { checkRequirements, type ClaimRequirements } from './claim-requirements.js';
import type { VerifiedClaims, Verifier } from './create-verifier.js';

/** What the middlewares share: read the header, verify, check roles and scopes. */
export interface RouteAuthOptions extends ClaimRequirements {
  /** The realm of the Bearer challenge; default 'api'. */
  realm?: string;
}

export type AuthOutcome = { ok: true; claims: VerifiedClaims } | { ok: false; answer: BearerAnswer };

/** Never throws: every refusal comes back as the RFC 6750 answer to send. */
export async function authenticateRequest(
  verifier: Verifier,
  authorization: string | readonly string[] | undefined,
  options: RouteAuthOptions,
): Promise<AuthOutcome> {
  try {
    const claims = await verifier.verify(readBearerToken(authorization));
    checkRequirements(claims, options);
    return { ok: true, claims };
  } catch (error) {
    return { ok: false, answer: bearerAnswer(error, options.realm ?? 'api') };
  }
}
