import type { ClientContext } from './client-context.js';
import { commit } from './credential-state.js';
import { readCsrfCookie } from './csrf-cookie.js';
import { refresh } from './refresh-flow.js';
import { askOtherTabs } from './tab-sync.js';
import { ensureFresh, getJson } from './transport.js';
import type { User } from './types.js';

/**
 * The initial restore, cheapest first: the credential store, then the other tabs, then (only when
 * the CSRF cookie says a cookie session may exist) one request carrying a provisional credential.
 */
export async function restoreSession(ctx: ClientContext): Promise<void> {
  const stored = ctx.store.load();
  if (stored !== null) {
    commit(ctx, stored, 'restored', 'storage');
    await ensureFresh(ctx);
    return;
  }
  if (await askOtherTabs(ctx)) return;
  // Without the CSRF cookie there is no cookie session to restore: skip the request (and its 401).
  if (ctx.delivery === 'body' || readCsrfCookie(ctx.readCookie) === undefined || ctx.credentials !== null)
    return;
  const credentials = {
    mode: ctx.mode,
    bearer: null,
    refreshToken: null,
    expiresAt: null,
    user: null,
    csrfToken: null,
  };
  ctx.credentials = credentials;
  ctx.prov = true;
  try {
    if (ctx.delivery === 'refresh_cookie') await refresh(ctx);
    else {
      const body = (await getJson(ctx, '/auth/me')) as { user: User };
      if (ctx.prov) commit(ctx, { ...credentials, user: body.user }, 'restored');
    }
  } catch {
    // Signed out, offline or refused: the app starts signed out; the next sign-in starts afresh.
  } finally {
    if (ctx.prov) ctx.credentials = null;
    ctx.prov = false;
  }
}
