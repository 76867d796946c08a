import type { UserRecord } from '../stores/types.js';
import { recordAudit } from './audit.js';
import type { Deps, RequestContext } from './deps.js';
import { normalizeEmail } from './email.js';
import { FlowError } from './flow-error.js';
import { openStatefulSession, type SessionTokenGrant } from './issue-session-token.js';
import { openJwtSession, type TokenPair } from './issue-tokens.js';
import { assertNotLockedOut, clearLoginFailures, recordLoginFailure } from './lockout.js';
import { normalizePassword } from './password-policy.js';

export interface LoginInput {
  email: string;
  password: string;
}

const INVALID = 'The e-mail or password is incorrect.';

/**
 * Checks credentials and opens a session. An unknown e-mail and a wrong password are answered
 * identically (same error, same message) and cost the same: the unknown case verifies against a dummy
 * hash with today's parameters, so timing does not reveal which e-mails have accounts.
 */
export async function checkCredentials(
  deps: Deps,
  input: LoginInput,
  context: RequestContext,
): Promise<UserRecord> {
  const email = normalizeEmail(input.email);
  await assertNotLockedOut(deps, email);
  const password = normalizePassword(input.password);
  const user = await deps.stores.users.findByEmail(email);
  const matches = await deps.hasher.verify(user?.passwordHash ?? deps.dummyPasswordHash, password);
  if (user === undefined || !matches) {
    const lockedForSeconds = await recordLoginFailure(deps, email);
    await recordAudit(deps, 'login_failed', { userId: user?.id ?? null, context });
    if (lockedForSeconds !== undefined) {
      await recordAudit(deps, 'lockout', {
        userId: user?.id ?? null,
        context,
        detail: { seconds: lockedForSeconds },
      });
    }
    throw new FlowError('invalid_credentials', INVALID);
  }
  await clearLoginFailures(deps, email);
  // Only someone who knows the password learns that the account is disabled or locked by an admin.
  const now = deps.clock.now();
  if (user.disabled || (user.lockedUntil !== null && user.lockedUntil > now)) {
    throw new FlowError('account_disabled', 'This account is disabled.');
  }
  if (deps.hasher.needsRehash(user.passwordHash)) {
    const passwordHash = await deps.hasher.hash(password);
    return (await deps.stores.users.update(user.id, { passwordHash, updatedAt: now })) ?? user;
  }
  return user;
}

export async function login(deps: Deps, input: LoginInput, context: RequestContext): Promise<TokenPair> {
  const user = await checkCredentials(deps, input, context);
  const pair = await openJwtSession(deps, user, context);
  await recordAudit(deps, 'login_succeeded', { userId: user.id, sessionId: pair.sessionId, context });
  return pair;
}

/** Session mode: the same credential check, then a server-side session and an opaque session token. */
export async function loginWithSessionToken(
  deps: Deps,
  input: LoginInput,
  context: RequestContext,
): Promise<SessionTokenGrant> {
  const user = await checkCredentials(deps, input, context);
  const grant = await openStatefulSession(deps, user, context);
  await recordAudit(deps, 'login_succeeded', {
    userId: user.id,
    sessionId: grant.sessionId,
    context,
    detail: { mode: 'session' },
  });
  return grant;
}
