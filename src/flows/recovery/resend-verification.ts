import type { Deps, RequestContext } from '../deps.js';
import { normalizeEmail } from '../auth/email-address.js';
import { drawLink } from './account-links.js';
import { sendVerificationEmail } from './send-verification.js';

/**
 * Sends a new verification link to `email` when it belongs to an account whose address is not verified
 * yet (and verification is on). The caller answers the same whatever happens here (no enumeration):
 * the link is drawn and the account looked up in every case, and the writes that only an account
 * gets run after the answer (the route detaches this call, decision 0044).
 */
export async function resendVerification(
  deps: Deps,
  rawEmail: string,
  context: RequestContext,
): Promise<void> {
  const drawn = drawLink(deps);
  const user = await deps.stores.users.findByEmail(normalizeEmail(rawEmail));
  if (user === undefined || user.disabled || user.emailVerifiedAt !== null) return;
  if (deps.config.emailVerification === 'off') return;
  await sendVerificationEmail(deps, user, context, drawn);
}
