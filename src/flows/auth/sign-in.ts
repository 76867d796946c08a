import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { UserRecord } from '../../stores/types.js';
import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import { normalizeEmail } from './email-address.js';
import { FlowError } from '../flow-error.js';
import { openStatefulSession, type SessionTokenGrant } from '../sessions/open-stateful-session.js';
import { openJwtSession, type TokenPair } from '../sessions/open-jwt-session.js';
import { assertNotLockedOut, clearLoginFailures, recordLoginFailure } from './lockout.js';
import { normalizePassword } from './password-policy.js';
import { provePasskey, type SignInStrength } from '../passkeys/prove-passkey.js';

/** How the user proved who they are. Every future factor or credential is a new member here. */
export type SignInProof =
  | { kind: 'password'; email: string; password: string }
  /** A user created a moment ago by registration: the password was just set, nothing to check. */
  | { kind: 'registered'; user: UserRecord }
  /** A WebAuthn assertion of a discoverable passkey (passwordless): the passkey names its user. */
  | { kind: 'passkey'; response: AuthenticationResponseJSON };

/** What the sign-in opens once every check has passed. */
export type SessionRequest =
  | { kind: 'jwt' }
  | { kind: 'stateful' }
  /** RFC 6749 §4.3: a JWT-mode session bound to an OAuth client and the scope granted to it. */
  | { kind: 'oauth'; clientId: string; scope: string };

export interface SignInAttempt<S extends SessionRequest = SessionRequest> {
  proof: SignInProof;
  open: S;
}

/** The session each request opens: a token pair for JWT and OAuth sessions, a session token otherwise. */
export type OpenedSession<S extends SessionRequest> = S extends { kind: 'stateful' }
  ? SessionTokenGrant
  : TokenPair;

const INVALID = 'The e-mail or password is incorrect.';

/**
 * The one login pipeline: every path that turns a credential into a session ends here, so a check
 * added here (a factor, a policy) cannot be skipped by any path. The order is fixed:
 * lockout check, credential check, account state, rehash-on-login, policies (deps.signInPolicies),
 * lockout reset, then the session is opened and the success is audited.
 */
export async function signIn<S extends SessionRequest>(
  deps: Deps,
  attempt: SignInAttempt<S>,
  context: RequestContext,
): Promise<OpenedSession<S>> {
  const { user, strength } = await runSignInChecks(deps, attempt, context);
  const opened = await openSession(deps, user, attempt.open, context, strength);
  await recordAudit(deps, attempt.proof.kind === 'registered' ? 'register' : 'login_succeeded', {
    userId: user.id,
    sessionId: opened.sessionId,
    context,
    ...auditDetail(attempt.open, attempt.proof),
  });
  return opened as OpenedSession<S>;
}

/** Every check of the pipeline, in its order, up to (not including) opening a session. */
async function runSignInChecks(
  deps: Deps,
  attempt: SignInAttempt,
  context: RequestContext,
): Promise<{ user: UserRecord; strength: SignInStrength | undefined }> {
  const { proof } = attempt;
  // Lockout is kept per normalised e-mail, whether or not an account exists (decision 0004).
  // A passkey names its account itself: provePasskey checks that account's lockout before the signature.
  const passwordEmail = proof.kind === 'password' ? normalizeEmail(proof.email) : undefined;
  if (passwordEmail !== undefined) await assertNotLockedOut(deps, passwordEmail);
  const proven = await proveCredential(deps, proof, context);
  assertAccountUsable(deps, proven.user);
  const user =
    proof.kind === 'password' ? await rehashIfOutdated(deps, proven.user, proof.password) : proven.user;
  for (const policy of deps.signInPolicies ?? []) await policy.check(deps, { user, attempt, context });
  const lockoutEmail = passwordEmail ?? proven.lockoutEmail;
  if (lockoutEmail !== undefined) await clearLoginFailures(deps, lockoutEmail);
  return { user, strength: proven.strength };
}

/** The proven user; a passkey also says how strongly (amr, acr) and under which e-mail its lockout is kept. */
interface ProvenCredential {
  user: UserRecord;
  strength?: SignInStrength;
  lockoutEmail?: string;
}

async function proveCredential(
  deps: Deps,
  proof: SignInProof,
  context: RequestContext,
): Promise<ProvenCredential> {
  switch (proof.kind) {
    case 'password':
      return { user: await checkPassword(deps, normalizeEmail(proof.email), proof.password, context) };
    case 'registered':
      return { user: proof.user };
    case 'passkey':
      return provePasskey(deps, proof.response, context);
  }
}

/**
 * An unknown e-mail and a wrong password are answered identically (same error, same message) and
 * cost the same: the unknown case verifies against a dummy hash with today's parameters, so timing
 * does not reveal which e-mails have accounts.
 */
async function checkPassword(
  deps: Deps,
  email: string,
  rawPassword: string,
  context: RequestContext,
): Promise<UserRecord> {
  const password = normalizePassword(rawPassword);
  const user = await deps.stores.users.findByEmail(email);
  // A passwordless account (passkeys only, empty hash) costs the same and never matches a password.
  const usable = user !== undefined && user.passwordHash !== '';
  const matches = await deps.hasher.verify(usable ? user.passwordHash : deps.dummyPasswordHash, password);
  if (usable && matches) return user;
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

/** Only someone who proved the credential learns that the account is disabled or locked by an admin. */
function assertAccountUsable(deps: Deps, user: UserRecord): void {
  if (user.disabled || (user.lockedUntil !== null && user.lockedUntil > deps.clock.now())) {
    throw new FlowError('account_disabled', 'This account is disabled.');
  }
}

async function rehashIfOutdated(deps: Deps, user: UserRecord, rawPassword: string): Promise<UserRecord> {
  if (!deps.hasher.needsRehash(user.passwordHash)) return user;
  const passwordHash = await deps.hasher.hash(normalizePassword(rawPassword));
  return (await deps.stores.users.update(user.id, { passwordHash, updatedAt: deps.clock.now() })) ?? user;
}

function openSession(
  deps: Deps,
  user: UserRecord,
  request: SessionRequest,
  context: RequestContext,
  /** Stamped on the first access token (amr, acr); stateful sessions have no claims to carry it. */
  strength: SignInStrength | undefined,
): Promise<TokenPair | SessionTokenGrant> {
  switch (request.kind) {
    case 'jwt':
      return openJwtSession(deps, user, context, undefined, strength);
    case 'stateful':
      return openStatefulSession(deps, user, context);
    case 'oauth':
      return openJwtSession(
        deps,
        user,
        context,
        { clientId: request.clientId, scope: request.scope },
        strength,
      );
  }
}

function auditDetail(request: SessionRequest, proof: SignInProof): { detail?: Record<string, unknown> } {
  const method = proof.kind === 'passkey' ? { method: 'passkey' } : {};
  switch (request.kind) {
    case 'jwt':
      return proof.kind === 'passkey' ? { detail: method } : {};
    case 'stateful':
      return { detail: { mode: 'session', ...method } };
    case 'oauth':
      return { detail: { client_id: request.clientId, grant_type: 'password' } };
  }
}
