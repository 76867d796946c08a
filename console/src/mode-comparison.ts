import type { AuthMode } from '../../src/client/index.js';
import { el } from './dom.js';

/** What differs between the two modes, row by row (docs/jwt-vs-sessions.md has the measurements). */
const ROWS: readonly [string, string, string][] = [
  ['Credential', 'Signed JWT (header.payload.signature) + opaque refresh token', 'Opaque session token'],
  ['Verification', 'Signature check with the public key: no store read', 'Store lookup on every request'],
  [
    'Lifetime',
    'Short access token, renewed by rotating refresh',
    'Idle and absolute timeouts, renewed by use',
  ],
  [
    'Logout',
    'Revokes the session; issued access tokens live until exp (unless strict mode)',
    'Takes effect at once',
  ],
  ['Readable claims', 'Yes: decode the payload below', 'No: the token means nothing without the server'],
];

/** The comparison table, with the column of the mode in use marked (text, not only colour). */
export function renderModeComparison(table: HTMLTableElement, active: AuthMode): void {
  table.querySelectorAll('thead, tbody').forEach((part) => part.remove());
  const heading = (mode: AuthMode, text: string) =>
    el('th', {
      text: mode === active ? `${text} (in use)` : text,
      className: mode === active ? 'active' : '',
      attrs: { scope: 'col' },
    });
  const head = el('thead', {}, [
    el('tr', {}, [
      el('th', { text: 'Aspect', attrs: { scope: 'col' } }),
      heading('jwt', 'JWT mode'),
      heading('session', 'Session mode'),
    ]),
  ]);
  const body = el(
    'tbody',
    {},
    ROWS.map(([aspect, jwt, session]) =>
      el('tr', {}, [
        el('th', { text: aspect, attrs: { scope: 'row' } }),
        el('td', { text: jwt, className: active === 'jwt' ? 'active' : '' }),
        el('td', { text: session, className: active === 'session' ? 'active' : '' }),
      ]),
    ),
  );
  table.append(head, body);
}
