import type { SessionInfo } from '../../src/client/index.js';
import type { ClientHolder } from './client-holder.js';
import { byId, el, onClick } from './dom.js';
import { describeError, show } from './show-result.js';

const COLUMNS = ['Device', 'Kind', 'Signed in', 'Last seen', 'Expires', ''];

/** The user's sessions (devices), each with a revoke button; the one in use is marked in words. */
export function setUpSessionsList(holder: ClientHolder): { clear(): void } {
  const table = byId<HTMLTableElement>('sessions');
  const result = byId('result');

  const clear = () => table.querySelectorAll('thead, tbody').forEach((part) => part.remove());

  const load = async () => {
    try {
      render(await holder.current().sessions.list());
    } catch (error) {
      clear();
      show(result, describeError(error), 'refused');
    }
  };

  const render = (sessions: SessionInfo[]) => {
    clear();
    const head = el('thead', {}, [
      el(
        'tr',
        {},
        COLUMNS.map((text) => el('th', { text, attrs: { scope: 'col' } })),
      ),
    ]);
    const rows = sessions.map((session) => {
      const device = `${session.user_agent ?? 'unknown device'}${session.ip === null ? '' : ` (${session.ip})`}`;
      const revoke = el('button', {
        text: session.current ? 'Revoke (this page)' : 'Revoke',
        attrs: { type: 'button', 'aria-label': `Revoke session ${session.id}` },
      });
      onClick(revoke, async () => {
        try {
          await holder.current().sessions.revoke(session.id);
          show(result, `Session ${session.id} revoked.`, 'ok');
          if (holder.current().getState().status === 'signed-in') await load();
          else clear();
        } catch (error) {
          show(result, describeError(error), 'refused');
        }
      });
      return el('tr', { attrs: { 'data-session-id': session.id } }, [
        el('td', { text: session.current ? `${device} — this page` : device }),
        el('td', { text: session.kind }),
        el('td', { text: session.created_at }),
        el('td', { text: session.last_seen_at }),
        el('td', { text: session.expires_at }),
        el('td', {}, [revoke]),
      ]);
    });
    table.append(head, el('tbody', {}, rows));
  };

  onClick(byId<HTMLButtonElement>('load-sessions'), load);
  return { clear };
}
