import { ACR_MULTI_FACTOR } from '../../wire/authentication-strength.js';
import type { SignInPolicy } from '../auth/sign-in-policy.js';
import { MfaRequiredError } from './mfa-required-error.js';
import { methodsOf } from './second-factor-methods.js';
import { issueSignInTicket, TICKET_TTL_SECONDS } from './sign-in-ticket.js';

/**
 * The second step of sign-in, on every path (deps.signInPolicies): a user with an active factor who
 * proved only a first factor gets a ticket instead of a session. The ticket remembers the session
 * request, so completing it (a `second_factor` proof through signIn) opens exactly what was asked for.
 */
export const secondFactorPolicy: SignInPolicy = {
  name: 'second_factor',
  async check(deps, { user, attempt, strength }) {
    if (attempt.proof.kind === 'second_factor') return;
    // A passkey with user verification proved two factors at once: no second step on top of it.
    if (strength.acr === ACR_MULTI_FACTOR) return;
    const methods = await methodsOf(deps, user.id);
    if (methods.length === 0) return;
    const ticket = await issueSignInTicket(deps, {
      userId: user.id,
      open: attempt.open,
      firstFactor: ['pwd'],
      methods,
    });
    throw new MfaRequiredError(ticket, methods, TICKET_TTL_SECONDS);
  },
};
