/**
 * An in-memory Tessera for SDK tests: the /auth/* routes and one protected resource, answered through
 * a fake `fetch`, with the browser's cookie jar, refresh rotation with reuse detection, and injectable
 * failures (network errors, any status, Retry-After). Time comes from the test's fake clock.
 */
import type { FakeClock } from './fake-clock.js';

type Failure = 'network' | { status: number; code?: string; retryAfter?: string };
type Delivery = 'body' | 'cookie' | 'refresh_cookie';
interface Session {
  id: string;
  userId: string;
  kind: 'jwt' | 'session';
  revoked: boolean;
  /** Opened while `strongSignIns` was set: /api/sensitive accepts it (a stepped-up sign-in). */
  strong?: boolean;
}

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: string | null;
}

export const USER_EMAIL = 'alice@example.com';
export const USER_PASSWORD = 'correct horse battery';

export function createFakeServer(clock: FakeClock, options: { accessTtlSeconds?: number } = {}) {
  const accessTtlSeconds = options.accessTtlSeconds ?? 900;
  const users = new Map<
    string,
    { id: string; email: string; password: string; name: string | null; roles?: string[] }
  >([[USER_EMAIL, { id: 'u1', email: USER_EMAIL, password: USER_PASSWORD, name: null }]]);
  const sessions = new Map<string, Session>();
  const refreshTokens = new Map<string, { sid: string; used: boolean }>();
  const sessionTokens = new Map<string, string>();
  const failures = new Map<string, Failure[]>();
  const jar: Record<string, string> = {};
  const requests: Recorded[] = [];
  let counter = 0;
  const server = {
    /** By e-mail; edit one to change what /auth/me (and the next sign-in) answers. */
    users,
    jar,
    requests,
    sessions,
    rejectEveryAccessToken: false,
    rejectedTokens: new Set<string>(),
    /** Sign-ins made while this is true open strong sessions, which /api/sensitive accepts. */
    strongSignIns: false,
    /** The challenge /api/sensitive answers a weak session with (RFC 9470). */
    stepUpChallenge:
      'Bearer realm="api", error="insufficient_user_authentication", ' +
      'error_description="A stronger sign-in is required.", acr_values="urn:tessera:acr:2fa", max_age="300"',
  };
  const next = (prefix: string) => `${prefix}${(counter += 1)}`;

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
    json(status, { type: `/problems/${code}`, title: code, status, detail: `fake ${code}`, code }, headers);
  const invalidToken = (code: string) =>
    problem(401, code, { 'www-authenticate': `Bearer realm="tessera", error="invalid_token"` });

  function accessToken(session: Session): string {
    const now = Math.floor(clock.now() / 1000);
    const claims = { sub: session.userId, sid: session.id, iat: now, exp: now + accessTtlSeconds };
    const payload = Buffer.from(JSON.stringify({ ...claims, jti: next('j'), roles: [], tenant: 'acme' }));
    return `eyJhbGciOiJFUzI1NiJ9.${payload.toString('base64url')}.c2ln`;
  }

  function userView(userId: string) {
    const user = [...users.values()].find((u) => u.id === userId)!;
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      roles: user.roles ?? [],
      created_at: '2026-01-01T00:00:00.000Z',
    };
  }

  function grant(session: Session, delivery: Delivery, status: number): Response {
    const user = userView(session.userId);
    if (session.kind === 'session') {
      const token = next('st');
      sessionTokens.set(token, session.id);
      if (delivery === 'body')
        return json(status, { user, session_token: token, token_type: 'Bearer', expires_in: 1800 });
      Object.assign(jar, { session: token, csrf: next('csrf') });
      return json(status, { user, token_type: 'Bearer', expires_in: 1800, csrf_token: jar.csrf });
    }
    const access = accessToken(session);
    const refresh = next('rt');
    refreshTokens.set(refresh, { sid: session.id, used: false });
    const base = { user, token_type: 'Bearer', expires_in: accessTtlSeconds };
    if (delivery === 'body') return json(status, { ...base, access_token: access, refresh_token: refresh });
    Object.assign(jar, { refresh, csrf: next('csrf') });
    if (delivery === 'refresh_cookie')
      return json(status, { ...base, access_token: access, csrf_token: jar.csrf });
    jar.access = access;
    return json(status, { ...base, csrf_token: jar.csrf });
  }

  /** The session a request authenticates as, or the 401 to answer. */
  function authenticate(request: Recorded): Session | Response {
    const header = request.headers.get('authorization');
    const fromCookie = header === null;
    const token = header?.replace(/^Bearer /, '') ?? jar.session ?? jar.access;
    if (token === undefined)
      return problem(401, 'unauthenticated', { 'www-authenticate': 'Bearer realm="tessera"' });
    let session: Session | undefined;
    if (sessionTokens.has(token)) session = sessions.get(sessionTokens.get(token)!);
    else {
      const parts = token.split('.');
      const claims = parts.length === 3 ? JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()) : null;
      if (claims === null) return invalidToken('token_malformed');
      if (
        claims.exp * 1000 <= clock.now() ||
        server.rejectEveryAccessToken ||
        server.rejectedTokens.has(token)
      )
        return invalidToken('token_expired');
      session = sessions.get(claims.sid);
    }
    if (session === undefined || session.revoked) return invalidToken('session_revoked');
    if (fromCookie && request.method !== 'GET' && request.headers.get('x-csrf-token') !== jar.csrf) {
      return problem(403, 'csrf_rejected');
    }
    return session;
  }

  function signIn(request: Recorded, kind: 'register' | 'login'): Response {
    const input = JSON.parse(request.body ?? '{}') as { email: string; password: string; name?: string };
    if (kind === 'register') {
      if (users.has(input.email)) return problem(409, 'email_taken');
      users.set(input.email, {
        id: next('u'),
        email: input.email,
        password: input.password,
        name: input.name ?? null,
      });
    }
    const user = users.get(input.email);
    if (user === undefined || user.password !== input.password) return problem(401, 'invalid_credentials');
    const mode = request.query.get('mode') === 'session' ? 'session' : 'jwt';
    const session: Session = {
      id: next('s'),
      userId: user.id,
      kind: mode,
      revoked: false,
      strong: server.strongSignIns,
    };
    sessions.set(session.id, { ...session });
    return grant(
      sessions.get(session.id)!,
      (request.query.get('delivery') ?? 'body') as Delivery,
      kind === 'register' ? 201 : 200,
    );
  }

  function refresh(request: Recorded): Response {
    const fromBody = (JSON.parse(request.body || '{}') as { refresh_token?: string }).refresh_token;
    const presented = fromBody ?? jar.refresh;
    if (presented === undefined) return problem(401, 'refresh_token_invalid');
    if (fromBody === undefined && request.headers.get('x-csrf-token') !== jar.csrf)
      return problem(403, 'csrf_rejected');
    const record = refreshTokens.get(presented);
    if (record === undefined) return problem(401, 'refresh_token_invalid');
    const session = sessions.get(record.sid)!;
    if (record.used) {
      session.revoked = true;
      return problem(401, 'refresh_token_reused');
    }
    if (session.revoked) return invalidToken('session_revoked');
    record.used = true;
    const delivery =
      fromBody !== undefined ? 'body' : ((request.query.get('delivery') ?? 'cookie') as Delivery);
    return grant(session, delivery, 200);
  }

  function route(request: Recorded): Response {
    const { method, path } = request;
    if (method === 'POST' && path === '/auth/register') return signIn(request, 'register');
    if (method === 'POST' && path === '/auth/login') return signIn(request, 'login');
    if (method === 'POST' && path === '/auth/refresh') return refresh(request);
    const session = authenticate(request);
    if (session instanceof Response) return session;
    if (method === 'POST' && path === '/auth/logout') {
      const scope = (JSON.parse(request.body || '{}') as { scope?: string }).scope ?? 'local';
      for (const s of sessions.values()) {
        if (
          s.userId === session.userId &&
          (scope === 'global' || (scope === 'local') === (s.id === session.id))
        )
          s.revoked = true;
      }
      if (scope !== 'others') for (const key of Object.keys(jar)) delete jar[key];
      return new Response(null, { status: 204 });
    }
    if (method === 'GET' && path === '/auth/me') return json(200, { user: userView(session.userId) });
    if (method === 'GET' && path === '/auth/sessions') {
      const own = [...sessions.values()].filter((s) => s.userId === session.userId && !s.revoked);
      return json(200, {
        sessions: own.map((s) => ({ id: s.id, kind: s.kind, current: s.id === session.id })),
      });
    }
    if (method === 'DELETE' && path.startsWith('/auth/sessions/')) {
      const target = sessions.get(decodeURIComponent(path.slice('/auth/sessions/'.length)));
      if (target === undefined || target.userId !== session.userId) return problem(404, 'session_not_found');
      target.revoked = true;
      return new Response(null, { status: 204 });
    }
    if (path === '/api/data') return json(200, { sub: session.userId, method, body: request.body });
    if (path === '/api/sensitive') {
      if (session.strong === true)
        return json(200, { sub: session.userId, sid: session.id, body: request.body });
      return problem(401, 'insufficient_user_authentication', { 'www-authenticate': server.stepUpChallenge });
    }
    return problem(404, 'not_found');
  }

  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request =
      // Like Node's fetch, and unlike a page's: a relative URL cannot be resolved and throws.
      input instanceof Request ? input : new Request(new URL(String(input)), init);
    const merged = input instanceof Request && init !== undefined ? new Request(request, init) : request;
    const url = new URL(merged.url);
    const body = merged.body === null ? null : await merged.text();
    const recorded = {
      method: merged.method,
      path: url.pathname,
      query: url.searchParams,
      headers: merged.headers,
      body,
    };
    requests.push(recorded);
    await new Promise<void>((resolve) => setImmediate(resolve));
    const failure = failures.get(url.pathname)?.shift();
    if (failure === 'network') throw new TypeError('fetch failed');
    if (failure !== undefined) {
      return problem(
        failure.status,
        failure.code ?? 'service_unavailable',
        failure.retryAfter ? { 'retry-after': failure.retryAfter } : {},
      );
    }
    return route(recorded);
  };

  return Object.assign(server, {
    fetch: fetch as typeof globalThis.fetch,
    /** The next `count` requests to `path` fail as given. */
    failNext(path: string, failure: Failure, count = 1) {
      failures.set(path, [...(failures.get(path) ?? []), ...Array.from({ length: count }, () => failure)]);
    },
    count: (path: string) => requests.filter((r) => r.path === path).length,
    readCookie: (name: string) => (name.endsWith('tessera_csrf') ? jar.csrf : undefined),
  });
}

export type FakeServer = ReturnType<typeof createFakeServer>;
