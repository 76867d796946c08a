import type { AuthMode, StorageStrategy } from '../../src/client/index.js';
import { el } from './dom.js';
import { AUTH_MODES, STORAGE_STRATEGIES } from './settings.js';

/** The trade-off of each strategy in one line (the README table has the long version). */
export const STORAGE_TRADE_OFFS: Readonly<Record<StorageStrategy, string>> = {
  memory:
    'A JS variable, refresh token in an HTTP-only cookie: XSS can use it while the page is open, not carry it off; gone on reload until the cookie restores it.',
  localStorage: 'Readable by any script on the origin and kept across restarts: the worst case for XSS.',
  sessionStorage: 'Readable by any script, but gone when the tab closes: same XSS exposure, shorter life.',
  cookie:
    'HTTP-only cookies: no script can read a token; the browser attaches them, so CSRF defences (SameSite, X-CSRF-Token) apply.',
};

export const MODE_SUMMARIES: Readonly<Record<AuthMode, string>> = {
  jwt: 'JWT: a signed access token verified without a store read, plus a rotating refresh token.',
  session: 'Session: one opaque token, checked against the server on every request; revocation is instant.',
};

/** Fills a <fieldset> with one labelled radio per choice; `onChoose` gets the chosen value. */
export function renderRadioGroup<T extends string>(
  fieldset: HTMLFieldSetElement,
  name: string,
  choices: readonly T[],
  describe: (choice: T) => string,
  current: T,
  onChoose: (choice: T) => void,
): void {
  for (const choice of choices) {
    const id = `${name}-${choice}`;
    const input = el('input', { attrs: { type: 'radio', name, id, value: choice } });
    input.checked = choice === current;
    input.addEventListener('change', () => {
      if (input.checked) onChoose(choice);
    });
    const label = el('label', { attrs: { for: id } }, [
      el('strong', { text: choice }),
      document.createTextNode(` — ${describe(choice)}`),
    ]);
    fieldset.append(el('div', { className: 'choice' }, [input, label]));
  }
}

export function renderStorageSwitcher(
  fieldset: HTMLFieldSetElement,
  current: StorageStrategy,
  onChoose: (storage: StorageStrategy) => void,
): void {
  renderRadioGroup(fieldset, 'storage', STORAGE_STRATEGIES, (s) => STORAGE_TRADE_OFFS[s], current, onChoose);
}

export function renderModeSwitcher(
  fieldset: HTMLFieldSetElement,
  current: AuthMode,
  onChoose: (mode: AuthMode) => void,
): void {
  renderRadioGroup(fieldset, 'mode', AUTH_MODES, (m) => MODE_SUMMARIES[m], current, onChoose);
}
