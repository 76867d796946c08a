import type { ClientContext } from './client-context.js';
import { commit, getState } from './credential-state.js';
import type { Credentials } from './credentials.js';
import { asTesseraError, errorFromResponse, isTransient, notSignedIn, readJson } from './http-problem.js';
import { catchUpWithOtherTabs } from './tab-sync.js';
import { credentialsFromBody } from './token-body.js';
import { csrfToken, getJson, rawFetch } from './transport.js';
import type { AuthEvent, AuthState } from './types.js';

export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/**
 * client.refresh(): single-flight in this tab, serialised across tabs by the refresh lock, and no
 * second rotation when another tab has just rotated (decision 0014). Only a definite "no" signs out.
 */
export function refresh<Claims extends object>(ctx: ClientContext<Claims>): Promise<AuthState<Claims>> {
  return (ctx.inflight ??= runRefresh(ctx).finally(() => {
    ctx.inflight = undefined;
  }));
}

async function runRefresh<Claims extends object>(ctx: ClientContext<Claims>): Promise<AuthState<Claims>> {
  const c = ctx.credentials;
  if (c === null) throw notSignedIn();
  if (c.mode === 'session') {
    await getJson(ctx, '/auth/me'); // a session is refreshed by using it (sliding idle timeout)
    return getState(ctx);
  }
  const blocked = ctx.scheduler.blockedBy();
  if (blocked !== null) throw blocked;
  const startGeneration = ctx.gen;
  return ctx.crossTab.withRefreshLock(async () => {
    await catchUpWithOtherTabs(ctx);
    // Another tab refreshed while we waited for the lock: its tokens are ours now, no second rotation.
    if (ctx.gen !== startGeneration) {
      if (ctx.credentials === null) throw notSignedIn();
      return getState(ctx);
    }
    return exchangeRefreshToken(ctx, c);
  });
}

async function exchangeRefreshToken<Claims extends object>(
  ctx: ClientContext<Claims>,
  c: Credentials,
): Promise<AuthState<Claims>> {
  const event: AuthEvent = ctx.prov ? 'restored' : 'refreshed';
  const cookieAuthorised = ctx.delivery !== 'body';
  const headers: Record<string, string> = { ...JSON_HEADERS };
  const csrf = cookieAuthorised ? csrfToken(ctx) : undefined;
  if (csrf !== undefined) headers['x-csrf-token'] = csrf;
  const query = ctx.delivery === 'refresh_cookie' ? '?delivery=refresh_cookie' : '';
  try {
    const response = await rawFetch(ctx, `${ctx.baseUrl}/auth/refresh${query}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(cookieAuthorised ? {} : { refresh_token: c.refreshToken }),
      ...(cookieAuthorised ? { credentials: 'include' as const } : {}),
    });
    if (!response.ok) throw await errorFromResponse(response, ctx.clock.now());
    commit(ctx, credentialsFromBody(await readJson(response), 'jwt', ctx.delivery, ctx.clock.now()), event);
    return ctx.state;
  } catch (error) {
    const failure = asTesseraError(error);
    // Only a definite "no" ends the session; an outage, a 5xx or a 429 keeps it and backs off.
    if (!isTransient(failure) && failure.status >= 400 && failure.status <= 403)
      commit(ctx, null, 'signed-out');
    else ctx.scheduler.failed(failure);
    throw failure;
  }
}
