import { AuthError } from '../../errors.js';
import type { SignInOutcome } from '../../platform/metrics.js';
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
import { multiFactorStrength, passwordStrength, type SignInStrength } from './sign-in-strength.js';
import { proveSecondFactor, type SecondFactorProof } from '../mfa/prove-second-factor.js';
import { provePasskey } from '../passkeys/prove-passkey.js';

/** How the user proved who they are. Every future factor or credential is a new member here. */
export type SignInProof =
  | { kind: 'password'; email: string; password: string }
  /** A user created a moment ago by registration: the password was just set, nothing to check. */
  | { kind: 'registered'; user: UserRecord }
  /** The second step of a two-step sign-in: a ticket from the first step and the answer to it (src/flows/mfa/). */
  | SecondFactorProof
  /** A WebAuthn assertion of a discoverable passkey (passwordless): the passkey names its user. */
  | { kind: 'passkey'; response: AuthenticationResponseJSON };

/** What the sign-in opens once every check has passed. */
export type SessionRequest =
  /** `delivery` is how the HTTP edge hands the tokens out, kept so a second step delivers them the same way. */
  | { kind: 'jwt'; delivery?: TokenDelivery }
  | { kind: 'stateful'; delivery?: TokenDelivery }
  /** RFC 6749 §4.3: a JWT-mode session bound to an OAuth client and the scope granted to it. */
  | { kind: 'oauth'; clientId: string; scope: string };

/** body: tokens in the body; cookie: in HttpOnly cookies; refresh_cookie: only the refresh token in a cookie. */
export type TokenDelivery = 'body' | 'cookie' | 'refresh_cookie';

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
  let checked: { user: UserRecord; strength: SignInStrength };
  try {
    checked = await runSignInChecks(deps, attempt, context);
  } catch (error) {
    deps.metrics.signIn(refusalOutcome(error));
    throw error;
  }
  const { user, strength } = checked;
  const opened = await openSession(deps, user, attempt.open, context, strength);
  deps.metrics.signIn('succeeded');
  await recordAudit(deps, attempt.proof.kind === 'registered' ? 'register' : 'login_succeeded', {
    userId: user.id,
    sessionId: opened.sessionId,
    context,
    ...auditDetail(attempt.open, strength, attempt.proof),
  });
  return opened as OpenedSession<S>;
}

/** Every check of the pipeline, in its order, up to (not including) opening a session. */
async function runSignInChecks(
  deps: Deps,
  attempt: SignInAttempt,
  context: RequestContext,
): Promise<{ user: UserRecord; strength: SignInStrength }> {
  const { proof } = attempt;
  // Lockout is kept per normalised e-mail, whether or not an account exists (decision 0004).
  // A passkey names its account itself: provePasskey checks that account's lockout before the signature.
  const passwordEmail = proof.kind === 'password' ? normalizeEmail(proof.email) : undefined;
  if (passwordEmail !== undefined) await assertNotLockedOut(deps, passwordEmail);
  const { user: proven, strength, lockoutEmail } = await proveCredential(deps, proof, context);
  assertAccountUsable(deps, proven);
  const user = proof.kind === 'password' ? await rehashIfOutdated(deps, proven, proof.password) : proven;
  for (const policy of deps.signInPolicies ?? [])
    await policy.check(deps, { user, attempt, context, strength });
  // A completed second step also clears the failures its wrong answers counted (the user's e-mail).
  const provenEmail = proof.kind === 'second_factor' ? user.email : (passwordEmail ?? lockoutEmail);
  if (provenEmail !== undefined) await clearLoginFailures(deps, provenEmail);
  return { user, strength };
}

/** The proven user, how strongly (amr, acr, auth_time), and for a passkey the e-mail its lockout is kept under. */
interface ProvenCredential {
  user: UserRecord;
  strength: SignInStrength;
  lockoutEmail?: string;
}

/**
 * Which check refused: each check throws its own code (lockout before the credential, the credential,
 * the account state); any other refusal came from a sign-in policy, and anything not a FlowError is a
 * failure to decide (a store away), not a decision.
 */
function refusalOutcome(error: unknown): SignInOutcome {
  if (!(error instanceof AuthError)) return 'error';
  switch (error.code) {
    case 'account_locked':
      return 'locked';
    case 'invalid_credentials':
      return 'failed';
    case 'account_disabled':
      return 'disabled';
    default:
      return 'refused';
  }
}

async function proveCredential(
  deps: Deps,
  proof: SignInProof,
  context: RequestContext,
): Promise<ProvenCredential> {
  switch (proof.kind) {
    case 'password': {
      const user = await checkPassword(deps, normalizeEmail(proof.email), proof.password, context);
      return { user, strength: passwordStrength(deps.clock.now()) };
    }
    case 'registered':
      return { user: proof.user, strength: passwordStrength(deps.clock.now()) };
    case 'second_factor': {
      const { user, methods } = await proveSecondFactor(deps, proof, context);
      return { user, strength: multiFactorStrength(proof.stored.firstFactor, methods, deps.clock.now()) };
    }
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
    deps.metrics.lockoutStarted();
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
  strength: SignInStrength,
): Promise<TokenPair | SessionTokenGrant> {
  switch (request.kind) {
    case 'jwt':
      return openJwtSession(deps, user, context, undefined, strength);
    case 'stateful':
      return openStatefulSession(deps, user, context, strength);
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

function auditDetail(
  request: SessionRequest,
  strength: SignInStrength,
  proof: SignInProof,
): { detail?: Record<string, unknown> } {
  // Only a multi-factor sign-in names its methods, so single-factor rows read as they always did.
  const amr = strength.amr.includes('mfa') ? { amr: strength.amr } : {};
  const facts = { ...amr, ...(proof.kind === 'passkey' ? { method: 'passkey' } : {}) };
  switch (request.kind) {
    case 'jwt':
      return Object.keys(facts).length === 0 ? {} : { detail: facts };
    case 'stateful':
      return { detail: { mode: 'session', ...facts } };
    case 'oauth':
      return { detail: { client_id: request.clientId, grant_type: 'password', ...amr } };
  }
}
