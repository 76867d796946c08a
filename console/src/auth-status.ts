import type { AuthState } from '../../src/client/index.js';
import { byId, el } from './dom.js';
import type { ConsoleSettings } from './settings.js';

const MAX_EVENTS = 20;

/** The status line (role=status, so screen readers hear sign-in and sign-out) and the event log. */
export function renderAuthStatus(state: AuthState, settings: ConsoleSettings): void {
  const status = byId('auth-status');
  status.dataset.state = state.status;
  if (state.status === 'signed-out') {
    status.textContent = `Signed out (${settings.mode} mode, ${settings.storage} storage).`;
    return;
  }
  const who = state.user?.email ?? state.claims?.sub ?? 'a user';
  const roles = state.user?.roles ?? state.claims?.roles ?? [];
  status.textContent = `Signed in as ${who}${roles.length > 0 ? ` (roles: ${roles.join(', ')})` : ''} — ${state.mode} mode, ${settings.storage} storage.`;
}

export function logAuthEvent(event: string): void {
  const list = byId<HTMLOListElement>('events');
  list.prepend(
    el('li', { text: `${new Date().toLocaleTimeString()} ${event}`, attrs: { 'data-event': event } }),
  );
  while (list.children.length > MAX_EVENTS) list.lastElementChild?.remove();
}
