import { checkAuthentication } from '../../token/step-up.js';
import type { AcrLevel } from '../../wire/authentication-strength.js';
import type { Deps } from '../deps.js';
import type { Principal } from './principal.js';

/** What a sensitive action asks of the caller's sign-in, when the caller has a second factor. */
export interface StepUpPolicy {
  /** The weakest acceptable level (ACR_LEVELS). */
  acr: AcrLevel;
  /** How old the sign-in may be; default the TESSERA_STEP_UP_MAX_AGE setting. */
  maxAgeSeconds?: number | undefined;
  /**
   * Also ask users without a second factor for a recent sign-in (freshness only, no `acr`). Off for
   * the account routes; the demo resource (`GET /api/step-up-demo`) turns it on so anyone can see the
   * challenge.
   */
  freshnessForEveryone?: boolean | undefined;
}

/**
 * RFC 9470 step-up for Tessera's own sensitive actions: a user who has a second factor must have
 * signed in with at least `policy.acr`, at most `maxAgeSeconds` ago, or gets StepUpRequiredError
 * (401 `insufficient_user_authentication`). A user without one is not asked: demanding a factor they
 * cannot present would lock them out of their own account (unless `freshnessForEveryone`, which asks
 * them for a recent sign-in only). Without `deps.factorPresence` nobody has a factor.
 */
export async function requireStepUp(deps: Deps, principal: Principal, policy: StepUpPolicy): Promise<void> {
  const hasFactor =
    deps.factorPresence !== undefined && (await deps.factorPresence.hasSecondFactor(principal.userId));
  if (!hasFactor && policy.freshnessForEveryone !== true) return;
  checkAuthentication(
    { acr: principal.acr, auth_time: principal.authTime },
    {
      acr: hasFactor ? policy.acr : undefined,
      maxAgeSeconds: policy.maxAgeSeconds ?? deps.config.stepUpMaxAgeSeconds,
    },
    deps.clock.now(),
    deps.config.clockToleranceSeconds,
  );
}
