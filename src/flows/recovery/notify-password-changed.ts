import type { UserRecord } from '../../stores/types.js';
import type { Deps } from '../deps.js';
import { consoleUrl } from './account-links.js';

/**
 * Tells the user by mail that their password changed (by a reset or a change), with the time and the
 * page to reset it if it was not them. Also voids every pending reset link: a link asked for before
 * the change must not undo it.
 */
export async function notifyPasswordChanged(deps: Deps, user: UserRecord, at: Date): Promise<void> {
  await deps.stores.accountTokens.revokeForUser(user.id, ['password_reset'], at);
  await deps.stores.mailOutbox.enqueue({
    to: user.email,
    template: 'password_changed',
    data: {
      email: user.email,
      name: user.name ?? '',
      at: at.toISOString(),
      report_link: consoleUrl(deps, 'forgot-password'),
    },
  });
}
