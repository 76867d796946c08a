import { afterEach, describe, expect, it } from 'vitest';
import { changePassword } from '../../../../src/flows/auth/change-password.js';
import { login } from '../../../../src/flows/auth/login.js';
import { readLockout, recordLoginFailure } from '../../../../src/flows/auth/lockout.js';
import { requestPasswordReset } from '../../../../src/flows/recovery/request-password-reset.js';
import { resetPassword } from '../../../../src/flows/recovery/reset-password.js';
import { verifyEmail } from '../../../../src/flows/recovery/verify-email.js';
import type { Stores } from '../../../../src/stores/types.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { CONTEXT, depsOn, flowError, PASSWORD, principalOf, registerUser, STORE_KINDS } from '../fixtures.js';
import { lastLinkToken, mailsOf } from './recovery-kit.js';

const EMAIL = 'ada@example.com';
const NEW_PASSWORD = 'a brand new passphrase';

describe.each(STORE_KINDS)('password reset (%s)', (kind) => {
  let deps: TestDeps;
  afterEach(async () => {
    await deps.stores.close();
  });

  const resetToken = async () => {
    await requestPasswordReset(deps, EMAIL, CONTEXT);
    return lastLinkToken(deps, 'password_reset', EMAIL);
  };

  it('mails a 30-minute link; the reset sets the password, revokes every session, clears lockout and tells the user', async () => {
    deps = await depsOn(kind);
    const pair = await registerUser(deps, EMAIL);
    const second = await registerUser(deps, 'bob@example.com');
    for (let i = 0; i < 3; i += 1) await recordLoginFailure(deps, EMAIL);
    const token = await resetToken();
    const record = await deps.stores.accountTokens.findById(token.split('.')[0] ?? '');
    expect(record?.expiresAt.getTime()).toBe(deps.clock.now().getTime() + 30 * 60_000);

    await resetPassword(deps, { token, newPassword: NEW_PASSWORD }, CONTEXT);
    await flowError(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT), 'invalid_credentials');
    await login(deps, { email: EMAIL, password: NEW_PASSWORD }, CONTEXT);
    const { sessionId } = principalOf(deps, pair);
    expect((await deps.stores.sessions.findById(sessionId))?.revokedReason).toBe('password_reset');
    // Bob's session is untouched.
    const bobSession = principalOf(deps, second).sessionId;
    expect((await deps.stores.sessions.findById(bobSession))?.revokedAt).toBeNull();
    expect((await readLockout(deps, EMAIL)).failures).toBe(0);
    const [notice] = mailsOf(deps, 'password_changed');
    expect(notice).toMatchObject({ to: EMAIL, data: { at: deps.clock.now().toISOString() } });
    expect(notice?.data['report_link']).toBe('http://127.0.0.1:3000/#/forgot-password');
    // The link reached the address: it counts as verified.
    expect((await deps.stores.users.findByEmail(EMAIL))?.emailVerifiedAt).toEqual(deps.clock.now());
    expect(await deps.stores.audit.list({ type: 'password_reset' })).toHaveLength(1);
    await flowError(
      resetPassword(deps, { token, newPassword: 'another new passphrase' }, CONTEXT),
      'link_used',
    );
  });

  it('does the same work for an unknown address, and stores or sends nothing for it', async () => {
    deps = await depsOn(kind);
    await registerUser(deps, EMAIL);
    const counted = countWork(deps);
    await requestPasswordReset(deps, EMAIL, CONTEXT);
    const known = { ...counted.calls };
    counted.reset();
    await requestPasswordReset(deps, 'nobody@example.com', CONTEXT);
    expect(counted.calls).toEqual({ ...known, issue: 0, enqueue: 0 });
    expect(known).toMatchObject({ random: 2, findByEmail: 1, issue: 1, enqueue: 1 });
    expect(mailsOf(deps, 'password_reset').map((mail) => mail.to)).toEqual([EMAIL]);
  });

  it('refuses a weak password without using the link up', async () => {
    deps = await depsOn(kind);
    await registerUser(deps, EMAIL);
    const token = await resetToken();
    await flowError(resetPassword(deps, { token, newPassword: 'short' }, CONTEXT), 'weak_password');
    await resetPassword(deps, { token, newPassword: NEW_PASSWORD }, CONTEXT);
  });

  it('voids a link when a newer one is asked for, and when the password changes', async () => {
    deps = await depsOn(kind);
    const pair = await registerUser(deps, EMAIL);
    const first = await resetToken();
    deps.clock.advanceSeconds(1);
    const second = await resetToken();
    await flowError(
      resetPassword(deps, { token: first, newPassword: NEW_PASSWORD }, CONTEXT),
      'link_revoked',
    );
    await changePassword(
      deps,
      principalOf(deps, pair),
      { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
      CONTEXT,
    );
    await flowError(
      resetPassword(deps, { token: second, newPassword: 'third passphrase!' }, CONTEXT),
      'link_revoked',
    );
    // change-password sends the notice too.
    expect(mailsOf(deps, 'password_changed').map((mail) => mail.to)).toEqual([EMAIL]);
  });

  it('expires after 30 minutes', async () => {
    deps = await depsOn(kind);
    await registerUser(deps, EMAIL);
    const token = await resetToken();
    deps.clock.advanceSeconds(30 * 60);
    await flowError(resetPassword(deps, { token, newPassword: NEW_PASSWORD }, CONTEXT), 'link_expired');
  });

  it('never takes a reset token as a verification token, or the reverse', async () => {
    deps = await depsOn(kind);
    await registerUser(deps, EMAIL);
    const verification = lastLinkToken(deps, 'verify_email', EMAIL);
    const reset = await resetToken();
    await flowError(verifyEmail(deps, reset, CONTEXT), 'link_wrong_purpose');
    await flowError(
      resetPassword(deps, { token: verification, newPassword: NEW_PASSWORD }, CONTEXT),
      'link_wrong_purpose',
    );
    // Both still work for their own purpose.
    await verifyEmail(deps, verification, CONTEXT);
    await resetPassword(deps, { token: reset, newPassword: NEW_PASSWORD }, CONTEXT);
  });

  it('lets exactly one of concurrent resets with the same link win', async () => {
    deps = await depsOn(kind);
    await registerUser(deps, EMAIL);
    const token = await resetToken();
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        resetPassword(deps, { token, newPassword: `new passphrase ${i}` }, CONTEXT),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(mailsOf(deps, 'password_changed')).toHaveLength(1);
  });
});

/** Counts the calls the forgot-password flow makes, as the login tests count hasher calls. */
function countWork(deps: TestDeps) {
  const calls = { random: 0, findByEmail: 0, issue: 0, enqueue: 0 };
  const stores = deps.stores as Stores;
  const wrap = <T extends object, K extends keyof T>(target: T, key: K, counter: keyof typeof calls) => {
    const original = (target[key] as (...args: unknown[]) => unknown).bind(target);
    (target as Record<K, unknown>)[key] = (...args: unknown[]) => {
      calls[counter] += 1;
      return original(...args);
    };
  };
  wrap(deps.random, 'bytes', 'random');
  wrap(stores.users, 'findByEmail', 'findByEmail');
  wrap(stores.accountTokens, 'issue', 'issue');
  wrap(stores.mailOutbox, 'enqueue', 'enqueue');
  return {
    calls,
    reset() {
      for (const key of Object.keys(calls) as (keyof typeof calls)[]) calls[key] = 0;
    },
  };
}
