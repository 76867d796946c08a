import type { Credentials } from './credentials.js';

/**
 * What tabs of one origin tell each other over the `<namespace>` BroadcastChannel. `state` carries the
 * credentials a tab just obtained (for memory and cookie strategies other tabs cannot read them
 * anywhere else), or, as `user-updated`, the same credentials with a fresher user (client.me());
 * `hello` asks signed-in tabs to share their state with a tab that just opened; `claim`/`release` are
 * the refresh lock when Web Locks are missing.
 */
export type TabMessage =
  | { type: 'state'; event: 'signed-in' | 'refreshed' | 'user-updated'; credentials: Credentials }
  | { type: 'signed-out' }
  | { type: 'hello' }
  | { type: 'claim'; id: string }
  | { type: 'release'; id: string };

type StateEvent = Extract<TabMessage, { type: 'state' }>['event'];
const STATE_EVENTS: readonly StateEvent[] = ['signed-in', 'refreshed', 'user-updated'];

/** Messages come from other scripts of the same origin; anything not of the expected shape is dropped. */
export function parseTabMessage(data: unknown): TabMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const message = data as Record<string, unknown>;
  switch (message.type) {
    case 'signed-out':
    case 'hello':
      return { type: message.type };
    case 'claim':
    case 'release':
      return typeof message.id === 'string' ? { type: message.type, id: message.id } : null;
    case 'state': {
      const credentials = message.credentials as Credentials | null;
      const event = message.event;
      if (!(STATE_EVENTS as readonly unknown[]).includes(event) || typeof credentials !== 'object')
        return null;
      if (credentials === null || (credentials.mode !== 'jwt' && credentials.mode !== 'session')) return null;
      return { type: 'state', event: event as StateEvent, credentials };
    }
    default:
      return null;
  }
}
