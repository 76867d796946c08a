/** This tab's side of the conversation with the other tabs of the same client (decision 0014). */
import type { ClientContext } from './client-context.js';
import { commit, updateUser } from './credential-state.js';
import type { Credentials } from './credentials.js';
import { readCsrfCookie } from './csrf-cookie.js';
import type { TabMessage } from './tab-messages.js';

/** How long a new tab waits for a signed-in tab to share its state before restoring on its own. */
export const HELLO_WAIT_MS = 100;
/** How long a tab waits for the new state of a tab that has just refreshed (its message is in flight). */
export const TAB_STATE_WAIT_MS = 1_000;

/** The same credential (the user aside): what another tab's `user-updated` must match to apply. */
const sameCredential = (a: Credentials | null, b: Credentials) =>
  a !== null &&
  a.mode === b.mode &&
  a.bearer === b.bearer &&
  a.refreshToken === b.refreshToken &&
  a.expiresAt === b.expiresAt &&
  a.csrfToken === b.csrfToken;

export function onTabMessage(ctx: ClientContext, message: TabMessage): void {
  const held = ctx.prov ? null : ctx.credentials;
  if (message.type === 'hello') {
    if (held !== null && !ctx.store.shared)
      ctx.crossTab.post({ type: 'state', event: 'refreshed', credentials: held });
  } else if (message.type === 'signed-out') {
    if (held !== null) commit(ctx, null, 'tab-sync', 'tab');
  } else if (message.type === 'state') {
    const incoming = ctx.store.shared ? ctx.store.load() : message.credentials;
    if (
      message.event === 'user-updated' &&
      incoming !== null &&
      incoming.user !== null &&
      sameCredential(held, incoming)
    ) {
      updateUser(ctx, incoming.user, 'tab-sync', 'tab');
      return;
    }
    const stale =
      message.event !== 'signed-in' &&
      (held?.expiresAt ?? null) !== null &&
      (incoming?.expiresAt ?? Infinity) < (held?.expiresAt ?? 0);
    if (incoming === null || stale) return;
    commit(ctx, incoming, 'tab-sync', 'tab');
    ctx.adoption.notify();
  }
}

/**
 * Under the refresh lock, before rotating: takes what another tab has just stored, or waits for the
 * state of a tab that has just rotated. Every cookie refresh rotates the (script-readable) CSRF
 * cookie, which all tabs share: when it no longer matches the one that came with our tokens, another
 * tab has just refreshed and its BroadcastChannel message may still be on the way.
 */
export async function catchUpWithOtherTabs(ctx: ClientContext): Promise<void> {
  const held = ctx.credentials;
  if (ctx.store.shared) {
    const stored = ctx.store.load();
    if (stored?.bearer !== held?.bearer || stored?.refreshToken !== held?.refreshToken) {
      commit(ctx, stored, 'tab-sync', 'storage');
    }
    return;
  }
  const ours = held?.csrfToken ?? null;
  const cookie = readCsrfCookie(ctx.readCookie);
  if (ctx.crossTab.connected && ours !== null && cookie !== undefined && cookie !== ours) {
    await ctx.adoption.wait(TAB_STATE_WAIT_MS);
  }
}

/** A new tab of a memory or cookie strategy asks the open ones first: no request, no rotation. */
export function askOtherTabs(ctx: ClientContext): Promise<boolean> {
  if (!ctx.crossTab.connected || ctx.store.shared) return Promise.resolve(false);
  const answered = ctx.adoption.wait(HELLO_WAIT_MS);
  ctx.crossTab.post({ type: 'hello' });
  return answered;
}
