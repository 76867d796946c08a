import { EmailTakenError, type UserRecord } from '../../stores/types.js';
import { isAuthError } from '../../errors.js';
import { sendVerificationEmail } from '../recovery/send-verification.js';
import type { UserView } from '../../wire/user-view.js';
import { toUserView } from '../sessions/views.js';
import type { Deps, RequestContext } from '../deps.js';
import { parseEmail } from './email-address.js';
import { FlowError } from '../flow-error.js';
import type { SessionTokenGrant } from '../sessions/open-stateful-session.js';
import { newId, type TokenPair } from '../sessions/open-jwt-session.js';
import { checkPasswordPolicy, normalizePassword } from './password-policy.js';
import { signIn, type OpenedSession } from './sign-in.js';

export interface RegisterInput {
  email: string;
  password: string;
  name?: string | undefined;
}

/**
 * Creates a user with no roles (roles never come from the request body) and signs them in through
 * the login pipeline (sign-in.ts). The password is hashed before the e-mail is checked for
 * uniqueness, so a taken e-mail costs the same time.
 */
export async function register(
  deps: Deps,
  input: RegisterInput,
  context: RequestContext,
): Promise<TokenPair> {
  const user = await createAccount(deps, input, context);
  return signIn(deps, { proof: { kind: 'registered', user }, open: { kind: 'jwt' } }, context);
}

/** Registration in session mode: the same account, signed in with a stateful session token. */
export async function registerWithSessionToken(
  deps: Deps,
  input: RegisterInput,
  context: RequestContext,
): Promise<SessionTokenGrant> {
  const user = await createAccount(deps, input, context);
  return signIn(deps, { proof: { kind: 'registered', user }, open: { kind: 'stateful' } }, context);
}

/** What registration gives: a signed-in session, or (verification required) the new user only. */
export type Registration<T> =
  { kind: 'signed_in'; opened: T } | { kind: 'verification_required'; user: UserView };

/**
 * Registration as the HTTP route runs it: the account is created and the verification link mailed,
 * then the sign-in pipeline decides. Under TESSERA_EMAIL_VERIFICATION=required its policy refuses
 * (`email_not_verified`), and registration answers with the user and no session (decision 0043).
 */
export async function registerAccount<S extends { kind: 'jwt' } | { kind: 'stateful' }>(
  deps: Deps,
  input: RegisterInput,
  context: RequestContext,
  open: S,
): Promise<Registration<OpenedSession<S>>> {
  const user = await createAccount(deps, input, context);
  try {
    return {
      kind: 'signed_in',
      opened: await signIn(deps, { proof: { kind: 'registered', user }, open }, context),
    };
  } catch (error) {
    if (!isAuthError(error) || error.code !== 'email_not_verified') throw error;
    return { kind: 'verification_required', user: toUserView(user) };
  }
}

async function createAccount(deps: Deps, input: RegisterInput, context: RequestContext): Promise<UserRecord> {
  const user = await insertAccount(deps, input);
  if (deps.config.emailVerification !== 'off') await sendVerificationEmail(deps, user, context);
  return user;
}

async function insertAccount(deps: Deps, input: RegisterInput): Promise<UserRecord> {
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
