import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordLoginFailure } from '../../../../src/flows/auth/lockout.js';
import { FlowError } from '../../../../src/flows/flow-error.js';
import type { SignInPolicy } from '../../../../src/flows/auth/sign-in-policy.js';
import { signIn } from '../../../../src/flows/auth/sign-in.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { CONTEXT, depsOn, flowError, PASSWORD, registerUser } from '../fixtures.js';

const EMAIL = 'ada@example.com';
const LOCKOUT = { threshold: 3, baseSeconds: 10, maxSeconds: 80 };

describe('signIn, the one login pipeline', () => {
  let deps: TestDeps;
  let calls: string[];

  const recording = (refuse: boolean): SignInPolicy => ({
    name: 'recording',
    async check(_deps, { user }) {
      calls.push(user.email);
      if (refuse) throw new FlowError('account_disabled', 'Refused by policy.');
    },
  });
  const password = (secret = PASSWORD) =>
    ({ proof: { kind: 'password', email: EMAIL, password: secret }, open: { kind: 'jwt' } }) as const;

  beforeEach(async () => {
    deps = await depsOn('memory', { lockout: LOCKOUT });
    calls = [];
    await registerUser(deps, EMAIL);
  });
  afterEach(async () => {
    await deps.stores.close();
  });

  it('runs the policies in order, and the first refusal stops the sign-in', async () => {
    const second = recording(false);
    deps.signInPolicies = [{ ...recording(true), name: 'first' }, second];
    await flowError(signIn(deps, password(), CONTEXT), 'account_disabled');
    expect(calls).toEqual([EMAIL]);
  });

  it('does not reach the policies for a disabled account', async () => {
    const user = (await deps.stores.users.findByEmail(EMAIL))!;
    await deps.stores.users.update(user.id, { disabled: true, updatedAt: deps.clock.now() });
    deps.signInPolicies = [recording(false)];
    await flowError(signIn(deps, password(), CONTEXT), 'account_disabled');
    expect(calls).toEqual([]);
  });

  it('keeps the lockout count when a policy refuses (only a completed sign-in resets it)', async () => {
    await recordLoginFailure(deps, EMAIL);
    await recordLoginFailure(deps, EMAIL);
    deps.signInPolicies = [recording(true)];
    await flowError(signIn(deps, password(), CONTEXT), 'account_disabled');
    // The third failure reaches the threshold: the two before the refused sign-in still count.
    expect(await recordLoginFailure(deps, EMAIL)).toBe(10);
  });

  it('resets the lockout count after a completed sign-in', async () => {
    await recordLoginFailure(deps, EMAIL);
    await recordLoginFailure(deps, EMAIL);
    deps.signInPolicies = [recording(false)];
    const pair = await signIn(deps, password(), CONTEXT);
    expect(pair.accessToken).toEqual(expect.any(String));
    expect(await recordLoginFailure(deps, EMAIL)).toBeUndefined();
  });
});
