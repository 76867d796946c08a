import * as recovery from './account-recovery.js';
import { createAdoptionWaiters } from './adoption-waiters.js';
import { createAuthEvents } from './auth-events.js';
import type { ClientContext } from './client-context.js';
import { commit, getState, SIGNED_OUT, updateUser } from './credential-state.js';
import { asTesseraError, errorFromResponse, readJson } from './http-problem.js';
import { JSON_HEADERS, refresh } from './refresh-flow.js';
import { createRefreshScheduler } from './refresh-scheduler.js';
import { resolveOptions } from './resolve-options.js';
import { restoreSession } from './restore-session.js';
import { onTabMessage } from './tab-sync.js';
import {
  deletePasskey,
  listPasskeys,
  registerPasskey,
  renamePasskey,
  signInWithPasskey,
} from './passkeys.js';
import type { TesseraError } from './tessera-error.js';
import { credentialsFromBody, signInQuery } from './token-body.js';
import { authorizedFetch, getJson, rawFetch } from './transport.js';
import { userFromBody } from './user-record.js';
import { createMfaApi, mfaRequiredOf, verifySecondFactor, type MfaRequired } from './second-factor.js';
import type {
  AuthState,
  ClientOptions,
  LoginInput,
  LogoutScope,
  RegisterInput,
  SessionInfo,
  TesseraClient,
  User,
} from './types.js';

// The public operations, module-level functions of the context like the parts they use.

async function me(ctx: ClientContext): Promise<User> {
  const user = userFromBody(await getJson(ctx, '/auth/me'));
  updateUser(ctx, user, 'user-updated', 'self');
  return user;
}

async function signIn<Claims extends object>(
  ctx: ClientContext<Claims>,
  kind: 'register' | 'login',
  input: RegisterInput | LoginInput,
): Promise<AuthState<Claims> | MfaRequired> {
  const response = await rawFetch(ctx, `${ctx.baseUrl}/auth/${kind}${signInQuery(ctx.delivery, ctx.mode)}`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify(input),
    ...(ctx.delivery === 'body' ? {} : { credentials: 'include' as const }),
  });
  // A user with a second factor: no session yet, a ticket for verifySecondFactor instead.
  const mfa = await mfaRequiredOf(response);
  if (mfa !== null) return mfa;
  if (!response.ok) throw await errorFromResponse(response, ctx.clock.now());
  // 202: registered, but the address must be verified before any sign-in (nothing to commit).
  if (kind === 'register' && response.status === 202) return ctx.state;
  commit(
    ctx,
    credentialsFromBody(await readJson(response), ctx.mode, ctx.delivery, ctx.clock.now()),
    'signed-in',
  );
  return ctx.state;
}

async function logout(ctx: ClientContext, scope: LogoutScope): Promise<void> {
  if (ctx.credentials === null) return;
  if (scope !== 'local' && scope !== 'others' && scope !== 'global') {
    throw new TypeError('scope must be "local", "others" or "global".');
  }
  let failure: TesseraError | null = null;
  try {
    const query = ctx.delivery === 'refresh_cookie' ? '?delivery=refresh_cookie' : '';
    const response = await authorizedFetch(ctx, `${ctx.baseUrl}/auth/logout${query}`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ scope }),
      // The answer clears the refresh cookie; a cross-origin answer sets cookies only with 'include'.
      ...(ctx.delivery === 'refresh_cookie' ? { credentials: 'include' as const } : {}),
    });
    // 401: the session had already ended, which is what logging out wants.
    if (!response.ok && response.status !== 401) failure = await errorFromResponse(response, ctx.clock.now());
  } catch (error) {
    failure = asTesseraError(error);
  }
  if (scope !== 'others' && ctx.credentials !== null) commit(ctx, null, 'signed-out');
  if (failure !== null) throw failure;
}

async function revokeSession(ctx: ClientContext, id: string): Promise<void> {
  if (typeof id !== 'string' || id === '') throw new TypeError('A session id is required.');
  await getJson(ctx, `/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
  const state = ctx.state;
  const own = state.status === 'signed-in' && state.claims !== null && state.claims.sid === id;
  if (own) commit(ctx, null, 'signed-out');
}

/**
 * The composition of a client: one context (client-context.ts) whose credential only
 * credential-state.ts changes, read by the transport (transport.ts), the refresh (refresh-flow.ts),
 * the tab synchronisation (tab-sync.ts) and the restore (restore-session.ts). The public operations
 * above are thin over them.
 */
export function createTesseraClient<Claims extends object = Record<string, never>>(
  options: ClientOptions = {},
): TesseraClient<Claims> {
  const o = resolveOptions(options);
  const { clock, crossTab } = o;
  const ctx: ClientContext<Claims> = {
    ...o,
    events: createAuthEvents<Claims>(),
    scheduler: createRefreshScheduler({ ...o, onDue: () => void refresh(ctx).catch(() => undefined) }),
    adoption: createAdoptionWaiters(clock),
    refresh: () => refresh(ctx),
    credentials: null,
    prov: false,
    gen: 0,
    state: SIGNED_OUT,
  };

  // A disposed client adopts nothing from other tabs.
  let disposed = false;
  crossTab.onMessage((message) => disposed || onTabMessage(ctx, message));
  // A microtask later, so listeners subscribed right after creation hear 'restored'.
  const ready = Promise.resolve()
    .then(() => restoreSession(ctx))
    .catch(() => undefined);

  return {
    ready,
    // A new account has no second factor: registration always signs in.
    register: (input) => signIn(ctx, 'register', input) as Promise<AuthState<Claims>>,
    login: (input) => signIn(ctx, 'login', input),
    verifySecondFactor: (answer) => verifySecondFactor(ctx, answer),
    mfa: createMfaApi(ctx as ClientContext),
    registerPasskey: (options) => registerPasskey(ctx, options),
    signInWithPasskey: (options) => signInWithPasskey(ctx, options),
    listPasskeys: () => listPasskeys(ctx),
    renamePasskey: (id, name) => renamePasskey(ctx, id, name),
    deletePasskey: (id) => deletePasskey(ctx, id),
    logout: (logoutOptions) => logout(ctx, logoutOptions?.scope ?? 'local'),
    refresh: ctx.refresh,
    me: () => me(ctx),
    sessions: {
      list: async () => ((await getJson(ctx, '/auth/sessions')) as { sessions: SessionInfo[] }).sessions,
      revoke: (id) => revokeSession(ctx, id),
    },
    requestPasswordReset: (email) => recovery.requestPasswordReset(ctx, email),
    resetPassword: (input) => recovery.resetPassword(ctx, input),
    verifyEmail: (token) => recovery.verifyEmail(ctx, token),
    resendVerification: (email) => recovery.resendVerification(ctx, email),
    changeEmail: (input) => recovery.changeEmail(ctx, input),
    confirmEmailChange: (token) => recovery.confirmEmailChange(ctx, token),
    fetch: (input, init) => authorizedFetch(ctx, input, init),
    getState: () => getState(ctx),
    getAccessToken: () => (ctx.prov ? null : (ctx.credentials?.bearer ?? null)),
    onAuthChange: (listener) => ctx.events.subscribe(listener),
    dispose: () => {
      disposed = true;
      ctx.scheduler.cancel();
      crossTab.close();
      ctx.events.clear();
    },
  };
}
