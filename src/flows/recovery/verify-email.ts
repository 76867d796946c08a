import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import { toUserView } from '../sessions/views.js';
import type { UserView } from '../../wire/user-view.js';
import { checkLink, consumeLink, linkOwner, refuseLink } from './account-links.js';

/**
 * Confirms an address with the token of a verification link. A link sent to an address the user has
 * since left proves nothing about the new one: it is refused as revoked.
 */
export async function verifyEmail(deps: Deps, token: string, context: RequestContext): Promise<UserView> {
  const record = await checkLink(deps, token, 'verify_email', context);
  const user = await linkOwner(deps, record);
  if (user.email !== record.email) return refuseLink(deps, 'link_revoked', record, context);
  await consumeLink(deps, record, context);
  const at = deps.clock.now();
  const updated =
    user.emailVerifiedAt === null
      ? await deps.stores.users.update(user.id, { emailVerifiedAt: at, updatedAt: at })
      : user;
  await recordAudit(deps, 'email_verified', { userId: user.id, context });
  return toUserView(updated ?? user);
}
