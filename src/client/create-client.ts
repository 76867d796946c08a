import { createAdoptionWaiters } from './adoption-waiters.js';
import { createAuthEvents } from './auth-events.js';
import type { Credentials } from './credentials.js';
import { readCsrfCookie } from './csrf-cookie.js';
import {
  asTesseraError,
  errorFromResponse,
  isInvalidTokenChallenge,
  isTransient,
  networkError,
  notSignedIn,
  readJson,
} from './http-problem.js';
import { createRefreshScheduler } from './refresh-scheduler.js';
import { resolveOptions } from './resolve-options.js';
import { addCredentials } from './request-credentials.js';
import type { TabMessage } from './tab-messages.js';
import type { TesseraError } from './tessera-error.js';
import { credentialsFromBody, signInQuery } from './token-body.js';
import { decodeJwtPayload } from './token-claims.js';
import { sameJson, userFromBody } from './user-record.js';
import type {
  AccessClaims,
  AuthEvent,
  AuthState,
  ClientOptions,
  LoginInput,
  LogoutScope,
  RegisterInput,
  SessionInfo,
  TesseraClient,
  User,
} from './types.js';

/** A token expiring within this margin is refreshed before a request rather than after its 401. */
const FRESHNESS_MARGIN_MS = 5_000;
/** How long a new tab waits for a signed-in tab to share its state before restoring on its own. */
export const HELLO_WAIT_MS = 100;
/** How long a tab waits for the new state of a tab that has just refreshed (its message is in flight). */
export const TAB_STATE_WAIT_MS = 1_000;
const SIGNED_OUT = Object.freeze({ status: 'signed-out' as const });
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** save+post: our own change. tab: adopted from another tab. storage: read back from storage. */
type Origin = 'self' | 'tab' | 'storage';

export function createTesseraClient<Claims extends object = Record<string, never>>(
  options: ClientOptions = {},
): TesseraClient<Claims> {
  const o = resolveOptions(options);
  const { clock, store, crossTab } = o;
  const events = createAuthEvents<Claims>();
  const scheduler = createRefreshScheduler({ ...o, onDue: () => void refresh().catch(() => undefined) });
  let credentials: Credentials | null = null;
  /** Restoring from cookies: requests carry them, but nobody is told "signed in" until it worked. */
  let provisional = false;
  let generation = 0;
  /** A credential that was refused right after a refresh made it: refreshing again would only loop. */
  let refusedGeneration = -1;
  let state: AuthState<Claims> = SIGNED_OUT;
  let inflight: Promise<AuthState<Claims>> | null = null;
  const adoption = createAdoptionWaiters(clock);
  let disposed = false;

  const canRefresh = (c: Credentials) =>
    c.mode === 'jwt' && (o.delivery !== 'body' || c.refreshToken !== null);

  function toState(c: Credentials | null): AuthState<Claims> {
    if (c === null) return SIGNED_OUT;
    const claims = c.mode === 'jwt' && c.bearer !== null ? decodeJwtPayload(c.bearer) : null;
    const typed = claims as (AccessClaims & Claims) | null;
    return { status: 'signed-in', mode: c.mode, user: c.user, claims: typed, expiresAt: c.expiresAt };
  }

  function commit(next: Credentials | null, event: AuthEvent, origin: Origin = 'self'): void {
    const wasVisible = credentials !== null && !provisional;
    credentials = next;
    provisional = false;
    generation += 1;
    state = toState(next);
    if (origin === 'self' || (origin === 'tab' && !store.shared)) store.save(next);
    scheduler.succeeded(next !== null && canRefresh(next) ? next.expiresAt : null);
    if (next === null && !wasVisible) return;
    if (origin === 'self') {
      crossTab.post(
        next === null
          ? { type: 'signed-out' }
          : { type: 'state', event: event === 'signed-in' ? 'signed-in' : 'refreshed', credentials: next },
      );
    }
    events.emit(state, event);
  }

  /**
   * A fresher view of the signed-in user, same credential: no new generation (a 401 in flight must
   * still refresh) and no reschedule (a back-off stays). Only a real change is saved and announced; a
   * user of another identity (an answer that outlived a sign-out and a new sign-in) is ignored.
   */
  function updateUser(user: User, event: AuthEvent, origin: 'self' | 'tab'): void {
    const c = credentials;
    if (c === null || provisional || state.status !== 'signed-in') return;
    const knownId = c.user?.id ?? state.claims?.sub;
    if ((knownId !== undefined && knownId !== user.id) || sameJson(c.user, user)) return;
    credentials = { ...c, user };
    state = toState(credentials);
    if (origin === 'self' || !store.shared) store.save(credentials);
    if (origin === 'self') crossTab.post({ type: 'state', event: 'user-updated', credentials });
    events.emit(state, event);
  }

  async function me(): Promise<User> {
    const user = userFromBody(await getJson('/auth/me'));
    updateUser(user, 'user-updated', 'self');
    return user;
  }

  const csrfToken = () => readCsrfCookie(o.readCookie) ?? credentials?.csrfToken ?? undefined;

  async function rawFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const target = o.resolveUrl(input); // a TypeError here is the caller's mistake, not the network's
    try {
      return await o.fetch(target, init);
    } catch (error) {
      throw networkError(error);
    }
  }

  const withCredentials = (input: string | URL | Request, init: RequestInit | undefined) =>
    addCredentials(input, init, {
      bearer: credentials?.bearer ?? null,
      cookies: o.delivery === 'cookie',
      csrfToken,
    });

  async function authorizedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    if (!o.isTrusted(input)) return rawFetch(input, init);
    await ensureFresh();
    // Cloned before the first send: a Request body can be read once, and the retry needs it again.
    const replay = input instanceof Request ? input.clone() : input;
    const sentGeneration = generation;
    const response = await rawFetch(input, withCredentials(input, init));
    const rejected =
      credentials !== null &&
      response.status === 401 &&
      (isInvalidTokenChallenge(response) || o.delivery === 'cookie');
    if (!rejected || init?.body instanceof ReadableStream) return response;
    if (!(await recover(sentGeneration))) return response;
    const retryGeneration = generation;
    const retried = await rawFetch(replay, withCredentials(replay, init)); // once: a second 401 goes back
    if (retried.status === 401) refusedGeneration = retryGeneration;
    return retried;
  }

  async function ensureFresh(): Promise<void> {
    const c = credentials;
    if (c === null || !canRefresh(c) || c.expiresAt === null) return;
    if (clock.now() < c.expiresAt - FRESHNESS_MARGIN_MS) return;
    await refresh().catch(() => undefined); // offline: send anyway, the server has the last word
  }

  /** After a 401 for the credential of `sentGeneration`: true when a retry has a new one to send. */
  async function recover(sentGeneration: number): Promise<boolean> {
    if (generation !== sentGeneration) return credentials !== null; // renewed (or ended) meanwhile
    const c = credentials;
    if (c === null || !canRefresh(c)) {
      commit(null, 'signed-out'); // a session token has no second chance: the session is over
      return false;
    }
    if (sentGeneration === refusedGeneration) return false;
    try {
      await refresh();
      return credentials !== null;
    } catch {
      return false;
    }
  }

  function refresh(): Promise<AuthState<Claims>> {
    inflight ??= runRefresh().finally(() => {
      inflight = null;
    });
    return inflight;
  }

  async function runRefresh(): Promise<AuthState<Claims>> {
    const c = credentials;
    if (c === null) throw notSignedIn();
    if (c.mode === 'session') {
      await getJson('/auth/me'); // a session is refreshed by using it (sliding idle timeout)
      return getState();
    }
    const blocked = scheduler.blockedBy();
    if (blocked !== null) throw blocked;
    const startGeneration = generation;
    return crossTab.withRefreshLock(async () => {
      if (store.shared) adoptStored();
      else if (rotatedByOtherTab()) await adoption.wait(TAB_STATE_WAIT_MS);
      // Another tab refreshed while we waited for the lock: its tokens are ours now, no second rotation.
      if (generation !== startGeneration) {
        if (credentials === null) throw notSignedIn();
        return getState();
      }
      return exchangeRefreshToken(c);
    });
  }

  async function exchangeRefreshToken(c: Credentials): Promise<AuthState<Claims>> {
    const event: AuthEvent = provisional ? 'restored' : 'refreshed';
    const cookieAuthorised = o.delivery !== 'body';
    const headers: Record<string, string> = { ...JSON_HEADERS };
    const csrf = cookieAuthorised ? csrfToken() : undefined;
    if (csrf !== undefined) headers['x-csrf-token'] = csrf;
    const query = o.delivery === 'refresh_cookie' ? '?delivery=refresh_cookie' : '';
    try {
      const response = await rawFetch(`${o.baseUrl}/auth/refresh${query}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(cookieAuthorised ? {} : { refresh_token: c.refreshToken }),
        ...(cookieAuthorised ? { credentials: 'include' as const } : {}),
      });
      if (!response.ok) throw await errorFromResponse(response, clock.now());
      commit(credentialsFromBody(await readJson(response), 'jwt', o.delivery, clock.now()), event);
      return state;
    } catch (error) {
      const failure = asTesseraError(error);
      // Only a definite "no" ends the session; an outage, a 5xx or a 429 keeps it and backs off.
      if (!isTransient(failure) && failure.status >= 400 && failure.status <= 403) commit(null, 'signed-out');
      else scheduler.failed(failure);
      throw failure;
    }
  }

  /**
   * Every cookie refresh rotates the (script-readable) CSRF cookie, which all tabs share: when it no
   * longer matches the one that came with our tokens, another tab has just refreshed and its
   * BroadcastChannel message may still be on the way.
   */
  function rotatedByOtherTab(): boolean {
    const ours = credentials?.csrfToken ?? null;
    const cookie = readCsrfCookie(o.readCookie);
    return crossTab.connected && ours !== null && cookie !== undefined && cookie !== ours;
  }

  function adoptStored(): void {
    const stored = store.load();
    if (stored?.bearer !== credentials?.bearer || stored?.refreshToken !== credentials?.refreshToken) {
      commit(stored, 'tab-sync', 'storage');
    }
  }

  async function signIn(kind: 'register' | 'login', input: RegisterInput | LoginInput) {
    const response = await rawFetch(`${o.baseUrl}/auth/${kind}${signInQuery(o.delivery, o.mode)}`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(input),
      ...(o.delivery === 'body' ? {} : { credentials: 'include' as const }),
    });
    if (!response.ok) throw await errorFromResponse(response, clock.now());
    commit(credentialsFromBody(await readJson(response), o.mode, o.delivery, clock.now()), 'signed-in');
    return state;
  }

  async function logout(scope: LogoutScope): Promise<void> {
    if (credentials === null) return;
    if (scope !== 'local' && scope !== 'others' && scope !== 'global') {
      throw new TypeError('scope must be "local", "others" or "global".');
    }
    let failure: TesseraError | null = null;
    try {
      const query = o.delivery === 'refresh_cookie' ? '?delivery=refresh_cookie' : '';
      const response = await authorizedFetch(`${o.baseUrl}/auth/logout${query}`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ scope }),
        // The answer clears the refresh cookie; a cross-origin answer sets cookies only with 'include'.
        ...(o.delivery === 'refresh_cookie' ? { credentials: 'include' as const } : {}),
      });
      // 401: the session had already ended, which is what logging out wants.
      if (!response.ok && response.status !== 401) failure = await errorFromResponse(response, clock.now());
    } catch (error) {
      failure = asTesseraError(error);
    }
    if (scope !== 'others' && credentials !== null) commit(null, 'signed-out');
    if (failure !== null) throw failure;
  }

  async function getJson(path: string, init?: RequestInit): Promise<unknown> {
    const response = await authorizedFetch(o.baseUrl + path, init);
    if (!response.ok) throw await errorFromResponse(response, clock.now());
    return response.status === 204 ? undefined : readJson(response);
  }

  async function revokeSession(id: string): Promise<void> {
    if (typeof id !== 'string' || id === '') throw new TypeError('A session id is required.');
    await getJson(`/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
    const own = state.status === 'signed-in' && state.claims !== null && state.claims.sid === id;
    if (own) commit(null, 'signed-out');
  }

  function onTabMessage(message: TabMessage): void {
    if (disposed) return;
    if (message.type === 'hello') {
      if (credentials !== null && !provisional && !store.shared) {
        crossTab.post({ type: 'state', event: 'refreshed', credentials });
      }
    } else if (message.type === 'signed-out') {
      if (credentials !== null && !provisional) commit(null, 'tab-sync', 'tab');
    } else if (message.type === 'state') {
      const incoming = store.shared ? store.load() : message.credentials;
      const current = provisional ? null : credentials;
      if (
        message.event === 'user-updated' &&
        incoming !== null &&
        incoming.user !== null &&
        sameCredential(current, incoming)
      ) {
        updateUser(incoming.user, 'tab-sync', 'tab');
        return;
      }
      const stale =
        message.event !== 'signed-in' &&
        (current?.expiresAt ?? null) !== null &&
        (incoming?.expiresAt ?? Infinity) < (current?.expiresAt ?? 0);
      if (incoming === null || stale) return;
      commit(incoming, 'tab-sync', 'tab');
      adoption.notify();
    }
  }

  /** The same credential (the user aside): what another tab's `user-updated` must match to apply. */
  const sameCredential = (a: Credentials | null, b: Credentials) =>
    a !== null &&
    a.mode === b.mode &&
    a.bearer === b.bearer &&
    a.refreshToken === b.refreshToken &&
    a.expiresAt === b.expiresAt &&
    a.csrfToken === b.csrfToken;

  /** A new tab of a memory or cookie strategy asks the open ones first: no request, no rotation. */
  function askOtherTabs(): Promise<boolean> {
    if (!crossTab.connected || store.shared) return Promise.resolve(false);
    const answered = adoption.wait(HELLO_WAIT_MS);
    crossTab.post({ type: 'hello' });
    return answered;
  }

  async function restore(): Promise<void> {
    const stored = store.load();
    if (stored !== null) {
      commit(stored, 'restored', 'storage');
      await ensureFresh();
      return;
    }
    if (await askOtherTabs()) return;
    // Without the CSRF cookie there is no cookie session to restore: skip the request (and its 401).
    if (o.delivery === 'body' || readCsrfCookie(o.readCookie) === undefined || credentials !== null) return;
    credentials = {
      mode: o.mode,
      bearer: null,
      refreshToken: null,
      expiresAt: null,
      user: null,
      csrfToken: null,
    };
    provisional = true;
    try {
      if (o.delivery === 'refresh_cookie') await refresh();
      else {
        const body = (await getJson('/auth/me')) as { user: User };
        if (provisional) commit({ ...credentials, user: body.user }, 'restored');
      }
    } catch {
      // Signed out, offline or refused: the app starts signed out; the next sign-in starts afresh.
    } finally {
      if (provisional) credentials = null;
      provisional = false;
    }
  }

  function getState(): AuthState<Claims> {
    return provisional ? SIGNED_OUT : state;
  }

  crossTab.onMessage(onTabMessage);
  // A microtask later, so listeners subscribed right after creation hear 'restored'.
  const ready = Promise.resolve()
    .then(restore)
    .catch(() => undefined);

  return {
    ready,
    register: (input) => signIn('register', input),
    login: (input) => signIn('login', input),
    logout: (logoutOptions) => logout(logoutOptions?.scope ?? 'local'),
    refresh,
    me,
    sessions: {
      list: async () => ((await getJson('/auth/sessions')) as { sessions: SessionInfo[] }).sessions,
      revoke: revokeSession,
    },
    fetch: authorizedFetch,
    getState,
    getAccessToken: () => (provisional ? null : (credentials?.bearer ?? null)),
    onAuthChange: (listener) => events.subscribe(listener),
    dispose: () => {
      disposed = true;
      scheduler.cancel();
      crossTab.close();
      events.clear();
    },
  };
}
