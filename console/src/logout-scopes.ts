import type { LogoutScope } from '../../src/client/index.js';
import type { ClientHolder } from './client-holder.js';
import { byId, onClick } from './dom.js';
import { describeError, show } from './show-result.js';

const DONE: Readonly<Record<LogoutScope, string>> = {
  local: 'Signed out here: this session and its refresh tokens are revoked.',
  others: 'Your other sessions are revoked; this one stays signed in.',
  global: 'Signed out everywhere: every session of this account is revoked.',
};

/** The three logout scopes, one button each. */
export function setUpLogoutScopes(holder: ClientHolder): void {
  const result = byId('result');
  for (const scope of ['local', 'others', 'global'] as const) {
    onClick(byId<HTMLButtonElement>(`logout-${scope}`), async () => {
      try {
        await holder.current().logout({ scope });
        show(result, DONE[scope], 'ok');
      } catch (error) {
        show(result, describeError(error), 'refused');
      }
    });
  }
}
