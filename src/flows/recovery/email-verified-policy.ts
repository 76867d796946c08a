import type { SignInPolicy } from '../auth/sign-in-policy.js';
import { FlowError } from '../flow-error.js';

/**
 * `TESSERA_EMAIL_VERIFICATION=required`: no session opens for an account whose address is not
 * verified, on any path (it is a SignInPolicy, run by the one login pipeline). It runs after the
 * password was proven, so the refusal tells nothing to someone who does not know it.
 */
export const emailVerifiedPolicy: SignInPolicy = {
  name: 'email_verified',
  async check(_deps, { user }) {
    if (user.emailVerifiedAt !== null) return;
    throw new FlowError(
      'email_not_verified',
      'Confirm your e-mail address first: follow the link we sent, or ask for a new one.',
    );
  },
};
