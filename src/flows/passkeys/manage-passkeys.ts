import type { PasskeyView } from '../../wire/passkey-view.js';
import { recordAudit } from '../audit.js';
import type { Principal } from '../authenticate/principal.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { hasPassword, toPasskeyView } from './passkey-views.js';

const NOT_FOUND = 'No such passkey.';

/** The caller's passkeys, oldest first. */
export async function listPasskeys(deps: Deps, principal: Principal): Promise<PasskeyView[]> {
  return (await deps.stores.passkeys.listForUser(principal.userId)).map(toPasskeyView);
}

/** Renames one of the caller's passkeys; another user's passkey id is "not found", never "forbidden". */
export async function renamePasskey(
  deps: Deps,
  principal: Principal,
  id: string,
  name: string,
  context: RequestContext,
): Promise<PasskeyView> {
  const renamed = await deps.stores.passkeys.rename(principal.userId, id, name);
  if (renamed === undefined) throw new FlowError('passkey_not_found', NOT_FOUND);
  await recordAudit(deps, 'passkey_renamed', {
    userId: principal.userId,
    sessionId: principal.sessionId,
    context,
    detail: { passkey_id: id },
  });
  return toPasskeyView(renamed);
}

/**
 * Deletes one of the caller's passkeys. An account without a password whose only passkey this is
 * would be left with no way to sign in at all, so that deletion is refused.
 */
export async function deletePasskey(
  deps: Deps,
  principal: Principal,
  id: string,
  context: RequestContext,
): Promise<void> {
  const user = await deps.stores.users.findById(principal.userId);
  if (user === undefined) throw new FlowError('user_not_found', 'The user no longer exists.');
  const passkeys = await deps.stores.passkeys.listForUser(user.id);
  if (!passkeys.some((passkey) => passkey.id === id)) throw new FlowError('passkey_not_found', NOT_FOUND);
  if (!hasPassword(user) && passkeys.length === 1) {
    throw new FlowError(
      'passkey_last_sign_in_method',
      'This passkey is the only way to sign in to this account; add another passkey first.',
    );
  }
  if (!(await deps.stores.passkeys.delete(user.id, id))) throw new FlowError('passkey_not_found', NOT_FOUND);
  await recordAudit(deps, 'passkey_removed', {
    userId: user.id,
    sessionId: principal.sessionId,
    context,
    detail: { passkey_id: id },
  });
}
