/**
 * The client's credential changes only through `commit` and `updateUser`, so saving, scheduling,
 * telling other tabs and telling listeners cannot be forgotten by any caller.
 */
import type { ClientContext } from './client-context.js';
import type { Credentials } from './credentials.js';
import { decodeJwtPayload } from './token-claims.js';
import type { AccessClaims, AuthEvent, AuthState, User } from './types.js';
import { sameJson } from './user-record.js';

export const SIGNED_OUT = Object.freeze({ status: 'signed-out' as const });

/** save+post: our own change. tab: adopted from another tab. storage: read back from storage. */
export type Origin = 'self' | 'tab' | 'storage';

/** A credential this client can renew: a JWT whose refresh token it holds or a cookie carries. */
export const canRefresh = (ctx: ClientContext, c: Credentials) =>
  c.mode === 'jwt' && (ctx.delivery !== 'body' || c.refreshToken !== null);

function toState<Claims extends object>(c: Credentials | null): AuthState<Claims> {
  if (c === null) return SIGNED_OUT;
  const claims = c.mode === 'jwt' && c.bearer !== null ? decodeJwtPayload(c.bearer) : null;
  const typed = claims as (AccessClaims & Claims) | null;
  return { status: 'signed-in', mode: c.mode, user: c.user, claims: typed, expiresAt: c.expiresAt };
}

/** Takes `next` as the credential: saves it, reschedules the refresh, tells other tabs and listeners. */
export function commit<Claims extends object>(
  ctx: ClientContext<Claims>,
  next: Credentials | null,
  event: AuthEvent,
  origin: Origin = 'self',
): void {
  const wasVisible = ctx.credentials !== null && !ctx.prov;
  ctx.credentials = next;
  ctx.prov = false;
  ctx.gen += 1;
  ctx.state = toState(next);
  if (origin === 'self' || (origin === 'tab' && !ctx.store.shared)) ctx.store.save(next);
  ctx.scheduler.succeeded(next !== null && canRefresh(ctx, next) ? next.expiresAt : null);
  if (next === null && !wasVisible) return;
  if (origin === 'self') {
    ctx.crossTab.post(
      next === null
        ? { type: 'signed-out' }
        : { type: 'state', event: event === 'signed-in' ? 'signed-in' : 'refreshed', credentials: next },
    );
  }
  ctx.events.emit(ctx.state, event);
}

/**
 * A fresher view of the signed-in user, same credential: no new generation (a 401 in flight must
 * still refresh) and no reschedule (a back-off stays). Only a real change is saved and announced; a
 * user of another identity (an answer that outlived a sign-out and a new sign-in) is ignored.
 */
export function updateUser(ctx: ClientContext, user: User, event: AuthEvent, origin: 'self' | 'tab'): void {
  const c = ctx.credentials;
  const state = ctx.state;
  if (c === null || ctx.prov || state.status !== 'signed-in') return;
  const knownId = c.user?.id ?? state.claims?.sub;
  if ((knownId !== undefined && knownId !== user.id) || sameJson(c.user, user)) return;
  const credentials = (ctx.credentials = { ...c, user });
  ctx.state = toState(credentials);
  if (origin === 'self' || !ctx.store.shared) ctx.store.save(credentials);
  if (origin === 'self') ctx.crossTab.post({ type: 'state', event: 'user-updated', credentials });
  ctx.events.emit(ctx.state, event);
}

/** What the application sees: signed out while a cookie restore is still provisional. */
export const getState = <Claims extends object>(ctx: ClientContext<Claims>): AuthState<Claims> =>
  ctx.prov ? SIGNED_OUT : ctx.state;
