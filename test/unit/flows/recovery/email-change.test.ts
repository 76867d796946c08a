import { afterEach, describe, expect, it } from 'vitest';
import { login } from '../../../../src/flows/auth/login.js';
import { confirmEmailChange } from '../../../../src/flows/recovery/confirm-email-change.js';
import { requestEmailChange } from '../../../../src/flows/recovery/request-email-change.js';
import { requestPasswordReset } from '../../../../src/flows/recovery/request-password-reset.js';
import { resetPassword } from '../../../../src/flows/recovery/reset-password.js';
import { verifyEmail } from '../../../../src/flows/recovery/verify-email.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { CONTEXT, depsOn, flowError, PASSWORD, principalOf, registerUser, STORE_KINDS } from '../fixtures.js';
import { lastLinkToken, mailsOf } from './recovery-kit.js';

const OLD = 'ada@example.com';
const NEW = 'ada@new.example';

describe.each(STORE_KINDS)('e-mail change (%s)', (kind) => {
  let deps: TestDeps;
  afterEach(async () => {
    await deps.stores.close();
  });

  const ask = async (newEmail = NEW, password = PASSWORD) => {
    const pair = await registerUser(deps, OLD);
    await requestEmailChange(deps, principalOf(deps, pair), { newEmail, password }, CONTEXT);
    return pair;
  };

  it('changes nothing until the link sent to the new address is confirmed; the old address is told', async () => {
    deps = await depsOn(kind);
    await ask();
    expect((await deps.stores.users.findByEmail(OLD))?.email).toBe(OLD);
    const [notice] = mailsOf(deps, 'email_change_notice');
    expect(notice).toMatchObject({
      to: OLD,
      data: {
        email: NEW,
        at: deps.clock.now().toISOString(),
        report_link: 'http://127.0.0.1:3000/#/forgot-password',
      },
    });
    const token = lastLinkToken(deps, 'email_change_confirm', NEW);
    expect(mailsOf(deps, 'email_change_confirm')[0]?.data['link']).toContain('/#/confirm-email?token=');
    const oldVerification = lastLinkToken(deps, 'verify_email', OLD);

    const user = await confirmEmailChange(deps, token, CONTEXT);
    expect(user).toMatchObject({ email: NEW, email_verified: true });
    expect(await deps.stores.users.findByEmail(OLD)).toBeUndefined();
    await login(deps, { email: NEW, password: PASSWORD }, CONTEXT);
    await flowError(confirmEmailChange(deps, token, CONTEXT), 'link_used');
    // A verification link of the old address proves nothing any more.
    await flowError(verifyEmail(deps, oldVerification, CONTEXT), 'link_revoked');
    expect(await deps.stores.audit.list({ type: 'email_changed' })).toHaveLength(1);
  });

  it('asks for the password again, counting a wrong one toward lockout, and sends nothing then', async () => {
    deps = await depsOn(kind);
    await flowError(ask(NEW, 'not the password'), 'invalid_credentials');
    expect(mailsOf(deps, 'email_change_confirm')).toEqual([]);
    expect(mailsOf(deps, 'email_change_notice')).toEqual([]);
  });

  it('refuses a malformed new address and the current one', async () => {
    deps = await depsOn(kind);
    const pair = await registerUser(deps, OLD);
    const principal = principalOf(deps, pair);
    await flowError(
      requestEmailChange(deps, principal, { newEmail: 'no-at-sign', password: PASSWORD }, CONTEXT),
      'invalid_email',
    );
    await flowError(
      requestEmailChange(deps, principal, { newEmail: ' ADA@example.com ', password: PASSWORD }, CONTEXT),
      'invalid_email',
    );
    expect(mailsOf(deps, 'email_change_confirm')).toEqual([]);
  });

  it('refuses at confirmation an address another account took, leaving the link and the account as they were', async () => {
    deps = await depsOn(kind);
    await ask();
    const token = lastLinkToken(deps, 'email_change_confirm', NEW);
    await registerUser(deps, NEW);
    await flowError(confirmEmailChange(deps, token, CONTEXT), 'email_taken');
    expect((await deps.stores.users.findByEmail(OLD))?.email).toBe(OLD);
    const record = await deps.stores.accountTokens.findById(token.split('.')[0] ?? '');
    expect(record?.usedAt).toBeNull();
  });

  it('is cancelled by a password reset (the way the notice offers to report it)', async () => {
    deps = await depsOn(kind);
    await ask();
    const token = lastLinkToken(deps, 'email_change_confirm', NEW);
    await requestPasswordReset(deps, OLD, CONTEXT);
    await resetPassword(
      deps,
      { token: lastLinkToken(deps, 'password_reset', OLD), newPassword: 'brand new passphrase' },
      CONTEXT,
    );
    await flowError(confirmEmailChange(deps, token, CONTEXT), 'link_revoked');
  });

  it('never takes a change token as a reset or verification token', async () => {
    deps = await depsOn(kind);
    await ask();
    const token = lastLinkToken(deps, 'email_change_confirm', NEW);
    await flowError(verifyEmail(deps, token, CONTEXT), 'link_wrong_purpose');
    await flowError(
      resetPassword(deps, { token, newPassword: 'brand new passphrase' }, CONTEXT),
      'link_wrong_purpose',
    );
    await confirmEmailChange(deps, token, CONTEXT);
  });
});
