import type { UserRecord } from '../../stores/types.js';
import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import { drawLink, storeLink, type DrawnLink } from './account-links.js';

/**
 * Mails `user` a link that proves they receive mail at their address (24 h by default). A newer link
 * voids the older ones, so only the last one sent works.
 */
export async function sendVerificationEmail(
  deps: Deps,
  user: UserRecord,
  context: RequestContext,
  drawn: DrawnLink = drawLink(deps),
): Promise<void> {
  const link = await storeLink(deps, drawn, user, 'verify_email', user.email);
  await deps.stores.mailOutbox.enqueue({
    to: user.email,
    template: 'verify_email',
    data: { link, email: user.email, name: user.name ?? '' },
  });
  await recordAudit(deps, 'email_verification_sent', { userId: user.id, context });
}
