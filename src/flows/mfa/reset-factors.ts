import { recordAudit } from '../audit.js';
import type { Deps } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { normalizeEmail } from '../auth/email-address.js';
import { listFactors, type FactorList } from './list-factors.js';
import type { UserRecord } from '../../stores/types.js';

/** An operator's view of a user's factors (`tessera users mfa list`), by e-mail or id. */
export async function listFactorsOfUser(
  deps: Deps,
  emailOrId: string,
): Promise<{ user: UserRecord } & FactorList> {
  const user = await findUser(deps, emailOrId);
  return { user, ...(await listFactors(deps, user.id)) };
}

/**
 * An operator removes every factor and recovery code of a user who lost them (`tessera users mfa
 * reset`): the next sign-in needs the password only. Audited with the operator as the actor.
 */
export async function resetFactorsOfUser(
  deps: Deps,
  emailOrId: string,
  actor: string,
): Promise<{ user: UserRecord; removed: number }> {
  const user = await findUser(deps, emailOrId);
  const removed = await deps.stores.secondFactors.removeAllForUser(user.id);
  await recordAudit(deps, 'factor_removed', {
    userId: user.id,
    detail: { all: true, removed, actor },
  });
  return { user, removed };
}

async function findUser(deps: Deps, emailOrId: string): Promise<UserRecord> {
  const user = emailOrId.includes('@')
    ? await deps.stores.users.findByEmail(normalizeEmail(emailOrId))
    : await deps.stores.users.findById(emailOrId);
  if (user === undefined) throw new FlowError('user_not_found', 'No such user.');
  return user;
}
