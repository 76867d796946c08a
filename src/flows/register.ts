import { EmailTakenError, type UserRecord } from '../stores/types.js';
import { recordAudit } from './audit.js';
import type { Deps, RequestContext } from './deps.js';
import { parseEmail } from './email.js';
import { FlowError } from './flow-error.js';
import { openStatefulSession, type SessionTokenGrant } from './issue-session-token.js';
import { newId, openJwtSession, type TokenPair } from './issue-tokens.js';
import { checkPasswordPolicy, normalizePassword } from './password-policy.js';

export interface RegisterInput {
  email: string;
  password: string;
  name?: string | undefined;
}

/**
 * Creates a user with no roles (roles never come from the request body) and signs them in. The
 * password is hashed before the e-mail is checked for uniqueness, so a taken e-mail costs the same time.
 */
export async function register(
  deps: Deps,
  input: RegisterInput,
  context: RequestContext,
): Promise<TokenPair> {
  const user = await createAccount(deps, input);
  const pair = await openJwtSession(deps, user, context);
  await recordAudit(deps, 'register', { userId: user.id, sessionId: pair.sessionId, context });
  return pair;
}

/** Registration in session mode: the same account, signed in with a stateful session token. */
export async function registerWithSessionToken(
  deps: Deps,
  input: RegisterInput,
  context: RequestContext,
): Promise<SessionTokenGrant> {
  const user = await createAccount(deps, input);
  const grant = await openStatefulSession(deps, user, context);
  await recordAudit(deps, 'register', {
    userId: user.id,
    sessionId: grant.sessionId,
    context,
    detail: { mode: 'session' },
  });
  return grant;
}

async function createAccount(deps: Deps, input: RegisterInput): Promise<UserRecord> {
  const email = parseEmail(input.email);
  const password = normalizePassword(input.password);
  checkPasswordPolicy(password, deps.config.password);
  const passwordHash = await deps.hasher.hash(password);
  try {
    return await deps.stores.users.create({
      id: newId(deps),
      email,
      name: input.name?.trim() || null,
      passwordHash,
      roles: [],
      createdAt: deps.clock.now(),
    });
  } catch (error) {
    if (error instanceof EmailTakenError)
      throw new FlowError('email_taken', 'An account with this e-mail already exists.');
    throw error;
  }
}
