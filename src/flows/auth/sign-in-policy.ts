import type { UserRecord } from '../../stores/types.js';
import type { Deps, RequestContext } from '../deps.js';
import type { SignInAttempt } from './sign-in.js';
import type { SignInStrength } from './sign-in-strength.js';

/** What a policy sees: the proven user (account state already checked) and how they were proven. */
export interface SignInSubject {
  user: UserRecord;
  attempt: SignInAttempt;
  context: RequestContext;
  /** How strongly the credential proved the user (a passkey with user verification is two factors already). */
  strength: SignInStrength;
}

/**
 * The extension point of the login pipeline (src/flows/auth/sign-in.ts): a check that runs on every path
 * after the credential and the account state are proven and before any session opens. E-mail
 * verification and second factors plug in here. A policy refuses by throwing an AuthError (FlowError);
 * it returns normally to let the sign-in go on. Policies run in array order; the first refusal wins.
 */
export interface SignInPolicy {
  /** Names the policy in logs and decisions (for example `email_verified`, `second_factor`). */
  readonly name: string;
  check(deps: Deps, subject: SignInSubject): Promise<void>;
}
