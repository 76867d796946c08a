import { ACR_MULTI_FACTOR } from '../../wire/authentication-strength.js';
import type { Principal } from '../authenticate/principal.js';
import type { Deps } from '../deps.js';
import { FlowError } from '../flow-error.js';

/**
 * Removing a factor or replacing recovery codes needs a recent two-factor sign-in: the caller's
 * session must have been opened at the multi-factor level within TESSERA_MFA_RECENT_SIGN_IN. Read from
 * the session record (not the token), so JWT and session mode are judged alike.
 */
export async function assertRecentMultiFactor(deps: Deps, principal: Principal): Promise<void> {
  const session = await deps.stores.sessions.findById(principal.sessionId);
  const maxAgeMs = deps.config.mfa.recentSignInSeconds * 1000;
  const recent =
    session?.acr === ACR_MULTI_FACTOR &&
    session.authTime !== undefined &&
    deps.clock.now().getTime() - session.authTime.getTime() <= maxAgeMs;
  if (!recent) {
    throw new FlowError(
      'insufficient_user_authentication',
      'Sign in again with your second factor to do this.',
    );
  }
}
