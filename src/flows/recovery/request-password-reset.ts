import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import { normalizeEmail } from '../auth/email-address.js';
import { drawLink, storeLink } from './account-links.js';

/**
 * Forgot-password: mails a reset link (30 min by default) when `email` belongs to a usable account.
 * The caller answers the same whatever happens here (no enumeration): the link is drawn and the
 * account looked up in every case, and the writes only an account gets run after the answer (the route
 * detaches this call, decision 0044). A newer request voids the older link.
 */
export async function requestPasswordReset(
  deps: Deps,
  rawEmail: string,
  context: RequestContext,
): Promise<void> {
  const drawn = drawLink(deps);
  const user = await deps.stores.users.findByEmail(normalizeEmail(rawEmail));
  if (user === undefined || user.disabled) return;
  const link = await storeLink(deps, drawn, user, 'password_reset', user.email);
  await deps.stores.mailOutbox.enqueue({
    to: user.email,
    template: 'password_reset',
    data: { link, email: user.email, name: user.name ?? '' },
  });
  await recordAudit(deps, 'password_reset_requested', { userId: user.id, context });
}
