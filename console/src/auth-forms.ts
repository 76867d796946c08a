import type { ClientHolder } from './client-holder.js';
import { byId } from './dom.js';
import { describeError, show } from './show-result.js';

function field(form: HTMLFormElement, name: string): string {
  const input = form.elements.namedItem(name);
  return input instanceof HTMLInputElement ? input.value : '';
}

/** Register and sign-in forms: plain <form>s, so Enter submits and the browser validates first. */
export function setUpAuthForms(holder: ClientHolder): void {
  const result = byId('result');
  const submitWith = (form: HTMLFormElement, action: () => Promise<unknown>, done: string) => {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const button = form.querySelector('button');
      if (button !== null) button.disabled = true;
      action()
        .then(() => {
          show(result, done, 'ok');
          form
            .querySelectorAll<HTMLInputElement>('input[type="password"]')
            .forEach((input) => (input.value = ''));
        })
        .catch((error: unknown) => show(result, describeError(error), 'refused'))
        .finally(() => {
          if (button !== null) button.disabled = false;
        });
    });
  };

  const login = byId<HTMLFormElement>('login-form');
  submitWith(
    login,
    () => holder.current().login({ email: field(login, 'email'), password: field(login, 'password') }),
    'Signed in.',
  );
  const register = byId<HTMLFormElement>('register-form');
  submitWith(
    register,
    () => {
      const name = field(register, 'name').trim();
      return holder.current().register({
        email: field(register, 'email'),
        password: field(register, 'password'),
        ...(name === '' ? {} : { name }),
      });
    },
    'Registered and signed in.',
  );
}
