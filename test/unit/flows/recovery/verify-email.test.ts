import { afterEach, describe, expect, it } from 'vitest';
import { login } from '../../../../src/flows/auth/login.js';
import { registerAccount } from '../../../../src/flows/auth/register.js';
import { verifyEmail } from '../../../../src/flows/recovery/verify-email.js';
import { resendVerification } from '../../../../src/flows/recovery/resend-verification.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { CONTEXT, depsOn, flowError, PASSWORD, STORE_KINDS } from '../fixtures.js';
import { lastLinkToken, mailsOf } from './recovery-kit.js';

const EMAIL = 'ada@example.com';
const HOUR_MS = 3_600_000;

describe.each(STORE_KINDS)('e-mail verification (%s)', (kind) => {
  let deps: TestDeps;
  afterEach(async () => {
    await deps.stores.close();
  });

  const registerAda = async () => {
    const done = await registerAccount(deps, { email: EMAIL, password: PASSWORD }, CONTEXT, { kind: 'jwt' });
    return done;
  };

  it('mails a verification link on registration; the link verifies the address once', async () => {
    deps = await depsOn(kind);
    const done = await registerAda();
    expect(done.kind).toBe('signed_in');
    const [mail] = mailsOf(deps, 'verify_email');
    expect(mail).toMatchObject({ to: EMAIL, data: { email: EMAIL } });
    expect(mail?.data['link']).toMatch(/^http:\/\/127\.0\.0\.1:3000\/#\/verify-email\?token=/);
    const token = lastLinkToken(deps, 'verify_email', EMAIL);
    // Only the hash is stored: the secret half of the token appears nowhere in the store's record.
    const record = await deps.stores.accountTokens.findById(token.split('.')[0] ?? '');
    expect(record?.tokenHash).not.toContain(token.split('.')[1]);
    expect(record?.expiresAt.getTime()).toBe(deps.clock.now().getTime() + 24 * HOUR_MS);

    const user = await verifyEmail(deps, token, CONTEXT);
    expect(user.email_verified).toBe(true);
    expect((await deps.stores.users.findByEmail(EMAIL))?.emailVerifiedAt).toEqual(deps.clock.now());
    await flowError(verifyEmail(deps, token, CONTEXT), 'link_used');
    const audit = await deps.stores.audit.list({ type: 'email_verified' });
    expect(audit).toHaveLength(1);
  });

  it('sends no link when verification is off', async () => {
    deps = await depsOn(kind, { emailVerification: 'off' });
    await registerAda();
    expect(mailsOf(deps, 'verify_email')).toEqual([]);
  });

  it('refuses an expired link with link_expired and leaves the address unverified', async () => {
    deps = await depsOn(kind);
    await registerAda();
    const token = lastLinkToken(deps, 'verify_email', EMAIL);
    deps.clock.advanceSeconds(24 * 3600);
    await flowError(verifyEmail(deps, token, CONTEXT), 'link_expired');
    expect((await deps.stores.users.findByEmail(EMAIL))?.emailVerifiedAt).toBeNull();
  });

  it('refuses tampered, unknown and malformed tokens with link_invalid', async () => {
    deps = await depsOn(kind);
    await registerAda();
    const token = lastLinkToken(deps, 'verify_email', EMAIL);
    const [id, secret = ''] = token.split('.');
    const flipped = `${id}.${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const unknown = `${'A'.repeat(22)}.${secret}`;
    for (const bad of [flipped, unknown, 'not-a-token', '', `${token}x`]) {
      await flowError(verifyEmail(deps, bad, CONTEXT), 'link_invalid');
    }
    // The genuine link still works: refused attempts used nothing up.
    expect((await verifyEmail(deps, token, CONTEXT)).email_verified).toBe(true);
    const rejected = await deps.stores.audit.list({ type: 'account_token_rejected' });
    expect(rejected).toHaveLength(5);
  });

  it('voids the older link when a new one is sent (link_revoked), and resends only to unverified accounts', async () => {
    deps = await depsOn(kind);
    await registerAda();
    const first = lastLinkToken(deps, 'verify_email', EMAIL);
    deps.clock.advanceSeconds(1);
    await resendVerification(deps, EMAIL, CONTEXT);
    const second = lastLinkToken(deps, 'verify_email', EMAIL);
    expect(second).not.toBe(first);
    await flowError(verifyEmail(deps, first, CONTEXT), 'link_revoked');
    await verifyEmail(deps, second, CONTEXT);
    await resendVerification(deps, EMAIL, CONTEXT);
    await resendVerification(deps, 'nobody@example.com', CONTEXT);
    expect(mailsOf(deps, 'verify_email')).toHaveLength(2);
  });

  it('under `required`, refuses login with email_not_verified until the address is verified', async () => {
    deps = await depsOn(kind, { emailVerification: 'required' });
    const done = await registerAda();
    expect(done).toMatchObject({
      kind: 'verification_required',
      user: { email: EMAIL, email_verified: false },
    });
    expect(
      await deps.stores.sessions.listActiveForUser(
        (done as { user: { id: string } }).user.id,
        deps.clock.now(),
      ),
    ).toEqual([]);
    await flowError(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT), 'email_not_verified');
    // A wrong password is still just a wrong password: the policy runs after the credential.
    await flowError(
      login(deps, { email: EMAIL, password: 'wrong password!' }, CONTEXT),
      'invalid_credentials',
    );
    await verifyEmail(deps, lastLinkToken(deps, 'verify_email', EMAIL), CONTEXT);
    const pair = await login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT);
    expect(deps.accessTokens.verify(pair.accessToken, deps.clock.now()).email_verified).toBe(true);
  });
});
