import type { PasskeyInfo } from '../../src/client/index.js';
import type { ClientHolder } from './client-holder.js';
import { byId, el, onClick } from './dom.js';
import { describeError, show } from './show-result.js';

const COLUMNS = ['Name', 'Added', 'Last used', 'Synced', ''];

/**
 * Passkeys: adding one for the signed-in user, listing, renaming and deleting them, the "Sign in with
 * a passkey" button, and the passkey autofill (conditional UI) of the sign-in form's e-mail field.
 */
export function setUpPasskeys(holder: ClientHolder): { clear(): void } {
  const table = byId<HTMLTableElement>('passkeys');
  const result = byId('result');
  const clear = () => table.querySelectorAll('thead, tbody').forEach((part) => part.remove());

  const load = async () => {
    try {
      render(await holder.current().listPasskeys());
    } catch (error) {
      clear();
      show(result, describeError(error), 'refused');
    }
  };

  const rowOf = (passkey: PasskeyInfo) => {
    const rename = el('button', {
      text: 'Rename',
      attrs: { type: 'button', 'aria-label': `Rename passkey ${passkey.name}` },
    });
    const remove = el('button', {
      text: 'Delete',
      attrs: { type: 'button', 'aria-label': `Delete passkey ${passkey.name}` },
    });
    onClick(rename, async () => {
      const name = window.prompt('New name for this passkey', passkey.name);
      if (name === null || name.trim() === '') return;
      try {
        await holder.current().renamePasskey(passkey.id, name.trim());
        show(result, `Passkey renamed to ${name.trim()}.`, 'ok');
        await load();
      } catch (error) {
        show(result, describeError(error), 'refused');
      }
    });
    onClick(remove, async () => {
      try {
        await holder.current().deletePasskey(passkey.id);
        show(result, `Passkey ${passkey.name} deleted.`, 'ok');
        await load();
      } catch (error) {
        show(result, describeError(error), 'refused');
      }
    });
    return el('tr', { attrs: { 'data-passkey-id': passkey.id } }, [
      el('td', { text: passkey.name }),
      el('td', { text: passkey.created_at }),
      el('td', { text: passkey.last_used_at ?? 'never' }),
      el('td', { text: passkey.backup_eligible ? 'yes' : 'no (this device only)' }),
      el('td', {}, [rename, remove]),
    ]);
  };

  const render = (passkeys: PasskeyInfo[]) => {
    clear();
    const head = el('thead', {}, [
      el(
        'tr',
        {},
        COLUMNS.map((text) => el('th', { text, attrs: { scope: 'col' } })),
      ),
    ]);
    table.append(head, el('tbody', {}, passkeys.map(rowOf)));
  };

  onClick(byId<HTMLButtonElement>('add-passkey'), async () => {
    const name = byId<HTMLInputElement>('passkey-name').value.trim();
    try {
      const passkey = await holder.current().registerPasskey(name === '' ? {} : { name });
      show(result, `Passkey ${passkey.name} added.`, 'ok');
      await load();
    } catch (error) {
      show(result, describeError(error), 'refused');
    }
  });
  onClick(byId<HTMLButtonElement>('load-passkeys'), load);

  onClick(byId<HTMLButtonElement>('passkey-sign-in'), async () => {
    try {
      await holder.current().signInWithPasskey();
      show(result, 'Signed in with a passkey.', 'ok');
    } catch (error) {
      show(result, describeError(error), 'refused');
    }
  });

  // Conditional UI: once the e-mail field is first focused, the browser offers saved passkeys in its
  // autofill; picking one signs in. Started on focus, not on load, so page views spend no challenge.
  const email = byId<HTMLInputElement>('login-email');
  const startAutofill = () => {
    email.removeEventListener('focus', startAutofill);
    void holder
      .current()
      .signInWithPasskey({ conditional: true })
      .then(
        () => show(result, 'Signed in with a passkey.', 'ok'),
        // Aborted by the button's modal ceremony, or unsupported: the form still works with a password.
        () => undefined,
      );
  };
  if (typeof PublicKeyCredential !== 'undefined') email.addEventListener('focus', startAutofill);

  return { clear };
}
