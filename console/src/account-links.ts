import type { ClientHolder } from './client-holder.js';
import { byId } from './dom.js';
import { describeError, show } from './show-result.js';

/**
 * Where the links Tessera mails land: `#/verify-email?token=…`, `#/reset-password?token=…`,
 * `#/confirm-email?token=…` and `#/forgot-password`. The token sits in the fragment, which browsers
 * never send to a server nor put in a Referer; the page takes it out of the address bar at once and
 * POSTs it through the SDK.
 */
interface LinkRoute {
  page: string;
  token: string | null;
}

export function readLinkRoute(hash: string): LinkRoute | null {
  const match = /^#\/([a-z-]+)(?:\?(.*))?$/.exec(hash);
  if (match === null) return null;
  const token = new URLSearchParams(match[2] ?? '').get('token');
  return { page: match[1] ?? '', token: token === '' ? null : token };
}

function field(form: HTMLFormElement, name: string): string {
  const input = form.elements.namedItem(name);
  return input instanceof HTMLInputElement ? input.value : '';
}

export function setUpAccountLinks(holder: ClientHolder): void {
  const result = byId('recovery-result');
  const resetForm = byId<HTMLFormElement>('reset-form');
  const forgotForm = byId<HTMLFormElement>('forgot-form');
  const changeForm = byId<HTMLFormElement>('change-email-form');
  const run = (action: () => Promise<unknown>, done: string, form?: HTMLFormElement) => {
    const button = form?.querySelector('button');
    if (button) button.disabled = true;
    return action()
      .then(() => show(result, done, 'ok'))
      .catch((error: unknown) => show(result, describeError(error), 'refused'))
      .finally(() => {
        if (button) button.disabled = false;
      });
  };

  forgotForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const email = field(forgotForm, 'email');
    void run(
      () => holder.current().requestPasswordReset(email),
      'If this address has an account, a reset link is on its way.',
      forgotForm,
    );
  });
  changeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = { newEmail: field(changeForm, 'new_email'), password: field(changeForm, 'password') };
    void run(
      () => holder.current().changeEmail(input),
      'Follow the link sent to the new address to confirm the change.',
      changeForm,
    );
  });

  const route = readLinkRoute(window.location.hash);
  if (route === null) return;
  // Out of the address bar (and the history) before anything else happens.
  history.replaceState(null, '', window.location.pathname + window.location.search);
  byId('recovery').scrollIntoView();
  const token = route.token;
  if (route.page === 'forgot-password') {
    forgotForm.querySelector('input')?.focus();
  } else if (token === null) {
    show(result, 'This link has no token: copy the whole link from the e-mail.', 'refused');
  } else if (route.page === 'verify-email') {
    void run(() => holder.current().verifyEmail(token), 'Your e-mail address is verified.');
  } else if (route.page === 'confirm-email') {
    void run(() => holder.current().confirmEmailChange(token), 'Your e-mail address has been changed.');
  } else if (route.page === 'reset-password') {
    resetForm.hidden = false;
    resetForm.querySelector('input')?.focus();
    resetForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const newPassword = field(resetForm, 'new_password');
      void run(
        () => holder.current().resetPassword({ token, newPassword }),
        'Your password has been changed. Sign in with the new one.',
        resetForm,
      );
    });
  }
}
