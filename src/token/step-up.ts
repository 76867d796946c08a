import { AuthError } from '../errors.js';
import { ACR_LEVELS, type AcrLevel } from '../wire/authentication-strength.js';

/**
 * What a route asks of the sign-in behind a token (RFC 9470): how strong (`acr`) and how recent
 * (`maxAgeSeconds`, measured from `auth_time`). Either or both.
 */
export interface AuthenticationRequirement {
  /**
   * The weakest acceptable level, one of ACR_LEVELS: a token's `acr` at this position or later passes.
   * Typed as a string so that `{ acr: ACR_MULTI_FACTOR }` kept in a variable still fits; any other
   * value is a TypeError when the requirement is first used (assertValidRequirement).
   */
  acr?: AcrLevel | (string & NonNullable<unknown>) | undefined;
  /** The sign-in (`auth_time`) may be at most this many seconds old, plus the clock tolerance. */
  maxAgeSeconds?: number | undefined;
}

/** The RFC 9470 §3 challenge parameters: what a new sign-in must achieve. */
export interface StepUpChallenge {
  /** `acr_values`: the acceptable levels, weakest (the one asked for) first; empty when only freshness is asked. */
  acrValues: readonly string[];
  /** `max_age` in seconds, when the requirement has one. */
  maxAgeSeconds: number | undefined;
}

/**
 * The token is valid, but the sign-in behind it is too weak or too old for this resource: 401
 * `insufficient_user_authentication` with the challenge that says what a new sign-in must achieve.
 * A subclass (not a TokenError): the token itself is fine, another resource may accept it.
 */
export class StepUpRequiredError extends AuthError {
  declare readonly code: 'insufficient_user_authentication';
  readonly challenge: StepUpChallenge;

  constructor(message: string, challenge: StepUpChallenge) {
    super('insufficient_user_authentication', message);
    this.name = 'StepUpRequiredError';
    this.challenge = Object.freeze({ ...challenge, acrValues: Object.freeze([...challenge.acrValues]) });
  }
}

/**
 * Refuses a requirement a programmer got wrong (an unknown level, a negative or fractional age):
 * a TypeError at set-up, never a client's 4xx.
 */
export function assertValidRequirement(requirement: AuthenticationRequirement): void {
  const { acr, maxAgeSeconds } = requirement;
  if (acr !== undefined && !(ACR_LEVELS as readonly string[]).includes(acr))
    throw new TypeError(`acr must be one of ${ACR_LEVELS.join(', ')}.`);
  if (maxAgeSeconds !== undefined && !(Number.isSafeInteger(maxAgeSeconds) && maxAgeSeconds >= 0))
    throw new TypeError('maxAgeSeconds must be a whole number of seconds, 0 or more.');
}

/** Whether the requirement asks for anything at all. */
export function hasRequirement(requirement: AuthenticationRequirement): boolean {
  return requirement.acr !== undefined || requirement.maxAgeSeconds !== undefined;
}

/** Claims the check reads `acr` and `auth_time` from (a verified token's, or a session's own facts). */
export type AuthenticationFacts = Readonly<Record<string, unknown>>;

/**
 * Throws StepUpRequiredError unless the facts meet the requirement at `now`:
 * - `acr`: the token's `acr` must be a known level at least as strong as the one asked for (by
 *   position in ACR_LEVELS); a missing or unknown `acr` fails;
 * - `maxAgeSeconds`: `auth_time` must be a number no older than `maxAgeSeconds + tolerance` and not
 *   later than `now + tolerance` (a sign-in in the future proves nothing); a missing one fails.
 * The challenge always carries the whole requirement, so one new sign-in satisfies it (decision 0052).
 */
export function checkAuthentication(
  facts: AuthenticationFacts,
  requirement: AuthenticationRequirement,
  now: Date,
  clockToleranceSeconds: number,
): void {
  assertValidRequirement(requirement); // an unknown level must never read as "anything passes"
  const tooWeak = requirement.acr !== undefined && !isAtLeast(facts.acr, requirement.acr);
  const tooOld =
    requirement.maxAgeSeconds !== undefined &&
    !isRecent(facts.auth_time, requirement.maxAgeSeconds, now, clockToleranceSeconds);
  if (!tooWeak && !tooOld) return;
  throw new StepUpRequiredError(
    tooWeak ? 'A stronger sign-in is required for this resource.' : 'A more recent sign-in is required.',
    { acrValues: acceptableLevels(requirement.acr), maxAgeSeconds: requirement.maxAgeSeconds },
  );
}

function isAtLeast(acr: unknown, required: string): boolean {
  const levels: readonly unknown[] = ACR_LEVELS;
  const held = levels.indexOf(acr);
  return held !== -1 && held >= levels.indexOf(required);
}

function isRecent(authTime: unknown, maxAgeSeconds: number, now: Date, toleranceSeconds: number): boolean {
  if (typeof authTime !== 'number' || !Number.isFinite(authTime)) return false;
  const nowSeconds = now.getTime() / 1000;
  if (authTime > nowSeconds + toleranceSeconds) return false;
  return nowSeconds - authTime <= maxAgeSeconds + toleranceSeconds;
}

/** The levels that satisfy a requirement, weakest first (RFC 9470 `acr_values`, in order of preference). */
export function acceptableLevels(required: string | undefined): readonly string[] {
  if (required === undefined) return [];
  const position = (ACR_LEVELS as readonly string[]).indexOf(required);
  if (position === -1) throw new TypeError(`acr must be one of ${ACR_LEVELS.join(', ')}.`);
  return ACR_LEVELS.slice(position);
}
