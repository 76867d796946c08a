/**
 * The Tessera web console: every auth action goes through the SDK (src/client), so using the page —
 * and the browser tests that drive it — exercises the SDK for real.
 */
import './styles.css';
import type { AuthState } from '../../src/client/index.js';
import { setUpAccountLinks } from './account-links.js';
import { setUpApiButtons } from './api-buttons.js';
import { setUpAuthForms } from './auth-forms.js';
import { logAuthEvent, renderAuthStatus } from './auth-status.js';
import { createClientHolder } from './client-holder.js';
import { byId, onClick } from './dom.js';
import { setUpLogoutScopes } from './logout-scopes.js';
import { renderModeComparison } from './mode-comparison.js';
import { setUpPasskeys } from './passkeys-panel.js';
import { setUpSessionsList } from './sessions-list.js';
import { createStepUpDemo } from './step-up-demo.js';
import { readSettings, writeSettings, type ConsoleSettings } from './settings.js';
import { show } from './show-result.js';
import { verifyWithServerKey, verifyWithWrongKey, type VerifyOutcome } from './signature-check.js';
import { renderModeSwitcher, renderStorageSwitcher } from './storage-switcher.js';
import { setUpTamperDemo } from './tamper-demo.js';
import { createTokenInspector } from './token-inspector.js';

const settings = readSettings(new URL(window.location.href));
writeSettings(settings);
const stepUp = createStepUpDemo();
const holder = createClientHolder(settings, { onStepUpRequired: (challenge) => stepUp.prompt(challenge) });
stepUp.attach(holder);

const inspector = createTokenInspector(byId('inspector'));
const tamper = setUpTamperDemo(inspector);
const sessions = setUpSessionsList(holder);
const passkeys = setUpPasskeys(holder);
setUpAuthForms(holder);
setUpApiButtons(holder);
setUpLogoutScopes(holder);
setUpAccountLinks(holder);

function whyNoToken(state: AuthState, current: ConsoleSettings): string {
  if (state.status === 'signed-out') return 'Signed out: no token to show.';
  return current.storage === 'cookie'
    ? 'The tokens are in HTTP-only cookies: page JavaScript cannot read them, which is the point of this strategy.'
    : 'No token visible to the page.';
}

function render(state: AuthState): void {
  const current = holder.settings();
  renderAuthStatus(state, current);
  inspector.show(holder.current().getAccessToken(), whyNoToken(state, current));
  tamper.reset();
  if (state.status === 'signed-out') {
    sessions.clear();
    passkeys.clear();
  }
}

holder.onState((state, event) => {
  logAuthEvent(event);
  render(state);
});

async function switchTo(next: ConsoleSettings): Promise<void> {
  writeSettings(next);
  renderModeComparison(byId<HTMLTableElement>('mode-comparison'), next.mode);
  await holder.replace(next);
}

renderStorageSwitcher(byId<HTMLFieldSetElement>('storage-switcher'), settings.storage, (storage) => {
  void switchTo({ ...holder.settings(), storage });
});
renderModeSwitcher(byId<HTMLFieldSetElement>('mode-switcher'), settings.mode, (mode) => {
  void switchTo({ ...holder.settings(), mode });
});
renderModeComparison(byId<HTMLTableElement>('mode-comparison'), settings.mode);

const leeway = byId<HTMLInputElement>('leeway');
leeway.value = String(settings.refreshLeewaySeconds);
leeway.addEventListener('change', () => {
  const seconds = Number(leeway.value);
  if (Number.isInteger(seconds) && seconds >= 0 && seconds <= 3600)
    void switchTo({ ...holder.settings(), refreshLeewaySeconds: seconds });
  else
    show(
      byId('result'),
      'The refresh lead time must be a whole number of seconds from 0 to 3600.',
      'refused',
    );
});

const verifyResult = byId('verify-result');
const verifyWith =
  (verify: (parts: NonNullable<ReturnType<typeof inspector.current>>) => Promise<VerifyOutcome>) =>
  async () => {
    const parts = inspector.current();
    if (parts === null) {
      show(verifyResult, 'No JWT visible to the page to verify.', 'refused');
      return;
    }
    const outcome = await verify(parts);
    show(verifyResult, outcome.summary, outcome.valid ? 'ok' : 'refused');
    verifyResult.dataset.valid = String(outcome.valid);
  };
onClick(byId<HTMLButtonElement>('verify-server-key'), verifyWith(verifyWithServerKey));
onClick(byId<HTMLButtonElement>('verify-wrong-key'), verifyWith(verifyWithWrongKey));

void holder.current().ready.then(() => {
  render(holder.current().getState());
  document.body.dataset.ready = 'true';
});
