import { stepUpChallengeOf, type StepUpChallenge } from '../../src/client/index.js';
import type { ClientHolder } from './client-holder.js';
import { byId, onClick } from './dom.js';
import { describeError, describeResponse, show } from './show-result.js';

/**
 * The step-up demo (RFC 9470): GET /api/step-up-demo asks for a sign-in at most `max_age` seconds old
 * (and a two-factor one of users with a second factor). When it answers the challenge, the SDK calls
 * `prompt` (its onStepUpRequired hook): this panel asks for the password again, signs in through the
 * SDK and resolves true, and the SDK retries the call once.
 */
export interface StepUpDemo {
  /** The client's onStepUpRequired: resolves true once the user signed in again, false on cancel. */
  prompt(challenge: StepUpChallenge): Promise<boolean>;
  attach(holder: ClientHolder): void;
}

export function createStepUpDemo(): StepUpDemo {
  const result = byId('step-up-result');
  const form = byId<HTMLFormElement>('step-up-form');
  const asked = byId('step-up-challenge');
  const email = byId<HTMLInputElement>('step-up-email');
  const password = byId<HTMLInputElement>('step-up-password');
  let holder: ClientHolder | undefined;
  let pending: ((signedIn: boolean) => void) | undefined;

  const finish = (signedIn: boolean) => {
    form.hidden = true;
    password.value = '';
    pending?.(signedIn);
    pending = undefined;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    holder
      ?.current()
      .login({ email: email.value, password: password.value })
      .then(() => finish(true))
      .catch((error: unknown) => show(result, `Sign-in failed: ${describeError(error)}`, 'refused'));
  });
  byId<HTMLButtonElement>('step-up-cancel').addEventListener('click', () => finish(false));

  return {
    prompt(challenge) {
      const levels = challenge.acrValues.length > 0 ? ` at level ${challenge.acrValues.join(' or ')}` : '';
      const age = challenge.maxAgeSeconds === null ? '' : ` within ${challenge.maxAgeSeconds} s`;
      asked.textContent = `The API asks for a sign-in${levels}${age}. Sign in again to retry the call.`;
      const params = `acr_values=${JSON.stringify(challenge.acrValues.join(' '))} max_age=${challenge.maxAgeSeconds ?? '(none)'}`;
      show(
        result,
        `401 insufficient_user_authentication (RFC 9470 challenge: ${params}); waiting for a fresh sign-in…`,
        'refused',
      );
      const state = holder?.current().getState();
      if (state?.status === 'signed-in' && state.user !== null) email.value = state.user.email;
      form.hidden = false;
      password.focus();
      pending?.(false); // a newer challenge replaces an unanswered one
      return new Promise<boolean>((resolve) => (pending = resolve));
    },
    attach(current) {
      holder = current;
      const maxAge = byId<HTMLInputElement>('step-up-max-age');
      onClick(byId<HTMLButtonElement>('call-step-up'), async () => {
        const path = `/api/step-up-demo?max_age=${encodeURIComponent(maxAge.value)}`;
        try {
          const response = await current.current().fetch(path);
          const challenge = stepUpChallengeOf(response);
          const header =
            challenge === null ? '' : `\nWWW-Authenticate: ${response.headers.get('www-authenticate')}`;
          show(
            result,
            `${path} → ${await describeResponse(response)}${header}`,
            response.ok ? 'ok' : 'refused',
          );
        } catch (error) {
          show(result, `${path} → ${describeError(error)}`, 'refused');
        }
      });
    },
  };
}
