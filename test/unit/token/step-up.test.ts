import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../src/errors.js';
import { bearerChallenge, bearerRefusalOf, stepUpChallengeOf } from '../../../src/token/bearer-refusal.js';
import {
  acceptableLevels,
  assertValidRequirement,
  checkAuthentication,
  StepUpRequiredError,
  type AuthenticationRequirement,
} from '../../../src/token/step-up.js';
import { ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR } from '../../../src/wire/authentication-strength.js';
import { NOW, NOW_S } from '../../helpers/token-kit.js';

const TOLERANCE = 30;
const TWO_FA = { acr: ACR_MULTI_FACTOR } as const;
const ONE_FA = { acr: ACR_SINGLE_FACTOR } as const;
const FRESH = { maxAgeSeconds: 300 } as const;

function refusal(claims: Record<string, unknown>, requirement: AuthenticationRequirement) {
  try {
    checkAuthentication(claims, requirement, NOW, TOLERANCE);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('checkAuthentication (RFC 9470 requirement on acr and auth_time)', () => {
  const passes: [string, Record<string, unknown>, AuthenticationRequirement][] = [
    ['2fa token, 2fa asked', { acr: ACR_MULTI_FACTOR }, TWO_FA],
    ['2fa token, 1fa asked (stronger satisfies weaker)', { acr: ACR_MULTI_FACTOR }, ONE_FA],
    ['1fa token, 1fa asked', { acr: ACR_SINGLE_FACTOR }, ONE_FA],
    ['auth_time now', { auth_time: NOW_S }, FRESH],
    ['auth_time exactly maxAge old', { auth_time: NOW_S - 300 }, FRESH],
    ['auth_time maxAge + tolerance old', { auth_time: NOW_S - 330 }, FRESH],
    ['auth_time ahead within the tolerance', { auth_time: NOW_S + 30 }, FRESH],
    ['maxAge 0 and a sign-in this second', { auth_time: NOW_S }, { maxAgeSeconds: 0 }],
    ['both, both met', { acr: ACR_MULTI_FACTOR, auth_time: NOW_S - 10 }, { ...TWO_FA, ...FRESH }],
    ['an empty requirement', {}, {}],
  ];
  it.each(passes)('passes: %s', (_name, claims, requirement) => {
    expect(refusal(claims, requirement)).toBeUndefined();
  });

  const fails: [string, Record<string, unknown>, AuthenticationRequirement, string][] = [
    ['1fa token, 2fa asked', { acr: ACR_SINGLE_FACTOR }, TWO_FA, 'stronger'],
    ['no acr, 2fa asked', {}, TWO_FA, 'stronger'],
    ['no acr, 1fa asked', {}, ONE_FA, 'stronger'],
    ['an unknown acr', { acr: 'urn:other:gold' }, ONE_FA, 'stronger'],
    ['acr of the wrong type', { acr: 2 }, ONE_FA, 'stronger'],
    ['acr an array holding the level', { acr: [ACR_MULTI_FACTOR] }, TWO_FA, 'stronger'],
    ['auth_time one second past maxAge + tolerance', { auth_time: NOW_S - 331 }, FRESH, 'recent'],
    ['no auth_time', {}, FRESH, 'recent'],
    ['auth_time a string', { auth_time: String(NOW_S) }, FRESH, 'recent'],
    ['auth_time NaN-like (Infinity)', { auth_time: Number.NEGATIVE_INFINITY }, FRESH, 'recent'],
    ['auth_time in the future beyond the tolerance', { auth_time: NOW_S + 31 }, FRESH, 'recent'],
    ['strong but old', { acr: ACR_MULTI_FACTOR, auth_time: NOW_S - 3600 }, { ...TWO_FA, ...FRESH }, 'recent'],
    ['recent but weak', { acr: ACR_SINGLE_FACTOR, auth_time: NOW_S }, { ...TWO_FA, ...FRESH }, 'stronger'],
  ];
  it.each(fails)('refuses: %s', (_name, claims, requirement, says) => {
    const error = refusal(claims, requirement);
    expect(error).toBeInstanceOf(StepUpRequiredError);
    expect(error).toBeInstanceOf(AuthError);
    const stepUp = error as StepUpRequiredError;
    expect(stepUp.code).toBe('insufficient_user_authentication');
    expect(stepUp.message).toContain(says);
    // The challenge is the whole requirement, so one new sign-in satisfies it.
    expect(stepUp.challenge).toEqual({
      acrValues: acceptableLevels(requirement.acr),
      maxAgeSeconds: requirement.maxAgeSeconds,
    });
  });

  it('lists the acceptable levels weakest first', () => {
    expect(acceptableLevels(ACR_SINGLE_FACTOR)).toEqual([ACR_SINGLE_FACTOR, ACR_MULTI_FACTOR]);
    expect(acceptableLevels(ACR_MULTI_FACTOR)).toEqual([ACR_MULTI_FACTOR]);
    expect(acceptableLevels(undefined)).toEqual([]);
  });

  const badRequirements: [string, AuthenticationRequirement][] = [
    ['an unknown level', { acr: 'gold' as never }],
    ['a negative age', { maxAgeSeconds: -1 }],
    ['a fractional age', { maxAgeSeconds: 1.5 }],
    ['NaN', { maxAgeSeconds: Number.NaN }],
    ['an age given as a string', { maxAgeSeconds: '60' as never }],
  ];
  it.each(badRequirements)('refuses a requirement with %s as a programming error', (_name, requirement) => {
    expect(() => assertValidRequirement(requirement)).toThrow(TypeError);
    // Also when the check is called directly: a bad level never lets a token through.
    expect(() =>
      checkAuthentication({ acr: ACR_MULTI_FACTOR, auth_time: NOW_S }, requirement, NOW, 30),
    ).toThrow(TypeError);
  });

  it('accepts a level kept in a variable (typed string)', () => {
    const requirement: { acr: string; maxAgeSeconds: number } = { acr: ACR_MULTI_FACTOR, maxAgeSeconds: 60 };
    expect(refusal({ acr: ACR_MULTI_FACTOR, auth_time: NOW_S }, requirement)).toBeUndefined();
  });
});

describe('the step-up challenge on the wire (RFC 9470 §3)', () => {
  it('maps insufficient_user_authentication to 401 with its own Bearer error', () => {
    const error = new StepUpRequiredError('A stronger sign-in is required.', {
      acrValues: [ACR_MULTI_FACTOR],
      maxAgeSeconds: 600,
    });
    expect(bearerRefusalOf(error)).toEqual({
      status: 401,
      title: 'Insufficient user authentication',
      bearerError: 'insufficient_user_authentication',
    });
    expect(
      bearerChallenge('api', 'insufficient_user_authentication', error.message, stepUpChallengeOf(error)),
    ).toBe(
      'Bearer realm="api", error="insufficient_user_authentication", ' +
        'error_description="A stronger sign-in is required.", ' +
        `acr_values="${ACR_MULTI_FACTOR}", max_age="600"`,
    );
  });

  it('carries only the parameters the requirement has, acr_values space-separated', () => {
    const acrOnly = { acrValues: [ACR_SINGLE_FACTOR, ACR_MULTI_FACTOR], maxAgeSeconds: undefined };
    expect(bearerChallenge('api', 'insufficient_user_authentication', 'x', acrOnly)).toBe(
      `Bearer realm="api", error="insufficient_user_authentication", error_description="x", acr_values="${ACR_SINGLE_FACTOR} ${ACR_MULTI_FACTOR}"`,
    );
    const ageOnly = { acrValues: [], maxAgeSeconds: 0 };
    expect(bearerChallenge('api', 'insufficient_user_authentication', 'x', ageOnly)).toBe(
      'Bearer realm="api", error="insufficient_user_authentication", error_description="x", max_age="0"',
    );
  });

  it('adds nothing for other errors', () => {
    expect(stepUpChallengeOf(new AuthError('insufficient_scope', 'x'))).toBeUndefined();
    expect(bearerChallenge('api', 'invalid_token', 'x')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="x"',
    );
  });

  it('freezes the challenge an error carries', () => {
    const error = new StepUpRequiredError('x', { acrValues: [ACR_MULTI_FACTOR], maxAgeSeconds: 5 });
    expect(Object.isFrozen(error.challenge)).toBe(true);
    expect(Object.isFrozen(error.challenge.acrValues)).toBe(true);
  });
});
