/**
 * Shared by the embedding tests: the settings and runtime every host app uses, and the two flows each
 * host must pass over real sockets: the seed flow (Bearer tokens) and the cookie + CSRF mode.
 */
import { expect } from 'vitest';
import { createFixedClock } from '../../../src/platform/clock.js';
import { createSilentLogger } from '../../../src/platform/logger.js';
import type { TesseraRuntime } from '../../../src/server/embed-tessera.js';
import { fastHasher } from '../../helpers/test-deps.js';

export const ADMIN = { email: 'admin@example.com', password: 'admin password 123' };

/** Settings as a host would pass them: an in-memory database and a bootstrap admin for requireRoles. */
export const EMBED_CONFIG = { databaseUrl: 'sqlite::memory:', bootstrapAdmin: ADMIN } as const;

export type MovableClock = ReturnType<typeof createFixedClock>;

/** A clock the test moves (expired tokens without waiting), the fast hasher, no log output. */
export function embedRuntime(): TesseraRuntime & { clock: MovableClock } {
  return { clock: createFixedClock(new Date()), hasher: fastHasher, logger: createSilentLogger() };
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> | null;
}

async function send(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text) };
}

const bearer = (token: unknown) => ({ authorization: `Bearer ${String(token)}` });

/** A 401/403 problem with its stable code, as Tessera answers everywhere. */
function expectProblem(answer: Answer, status: number, code: string): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ status, code });
  if (status === 401) expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
}

/**
 * The seed flow against a host at `origin` with Tessera under `prefix`: register, login, the host's
 * protected route, refresh, the admin-only route, tampered and expired tokens refused, logout.
 */
export async function runSeedFlow(origin: string, prefix: string, clock: MovableClock): Promise<void> {
  const auth = `${origin}${prefix}/auth`;
  const email = `seed-${Math.random().toString(36).slice(2)}@example.com`;
  const registered = await send(`${auth}/register`, {
    method: 'POST',
    body: { email, password: 'correct horse 1' },
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const userId = (registered.body!.user as { id: string }).id;

  const login = await send(`${auth}/login`, { method: 'POST', body: { email, password: 'correct horse 1' } });
  expect(login.status).toBe(200);
  const { access_token: access, refresh_token: refresh } = login.body as Record<string, string>;

  const orders = await send(`${origin}/api/orders`, { headers: bearer(access) });
  expect(orders.status).toBe(200);
  expect(orders.body).toEqual({ orders: [], user: userId });
  expectProblem(await send(`${origin}/api/orders`), 401, 'unauthenticated');
  expect((await send(`${origin}/public`)).status).toBe(200);

  const refreshed = await send(`${auth}/refresh`, { method: 'POST', body: { refresh_token: refresh } });
  expect(refreshed.status).toBe(200);
  const next = refreshed.body as Record<string, string>;
  expect(next.refresh_token).not.toBe(refresh);
  expect((await send(`${origin}/api/orders`, { headers: bearer(next.access_token) })).status).toBe(200);

  expectProblem(
    await send(`${origin}/api/reports`, { headers: bearer(next.access_token) }),
    403,
    'insufficient_scope',
  );
  const admin = await send(`${auth}/login`, { method: 'POST', body: ADMIN });
  expect((await send(`${origin}/api/reports`, { headers: bearer(admin.body!.access_token) })).status).toBe(
    200,
  );

  const tampered = `${next.access_token!.slice(0, -4)}${next.access_token!.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
  expectProblem(
    await send(`${origin}/api/orders`, { headers: bearer(tampered) }),
    401,
    'token_signature_invalid',
  );

  const logout = await send(`${auth}/logout`, {
    method: 'POST',
    headers: bearer(next.access_token),
    body: {},
  });
  expect(logout.status).toBe(204);
  const afterLogout = await send(`${auth}/refresh`, {
    method: 'POST',
    body: { refresh_token: next.refresh_token },
  });
  expect(afterLogout.status).toBe(401);

  // Past the lifetime and the clock tolerance: the access token has expired.
  clock.advanceSeconds(15 * 60 + 31);
  expectProblem(
    await send(`${origin}/api/orders`, { headers: bearer(next.access_token) }),
    401,
    'token_expired',
  );
}

/** name=value pairs and attributes of each Set-Cookie, by cookie name. */
function setCookies(answer: Answer): Map<string, { value: string; attributes: string }> {
  const cookies = new Map<string, { value: string; attributes: string }>();
  for (const line of answer.headers.getSetCookie()) {
    const [pair, ...attributes] = line.split(';');
    const at = pair!.indexOf('=');
    cookies.set(pair!.slice(0, at).trim(), { value: pair!.slice(at + 1), attributes: attributes.join(';') });
  }
  return cookies;
}

/**
 * Cookie mode: the access, refresh and CSRF cookies (the refresh cookie bound to the prefixed refresh
 * path), the host's routes read the access cookie, state changes need the double-submit token and a
 * same-origin request, and refresh and logout work from cookies.
 */
export async function runCookieFlow(origin: string, prefix: string): Promise<void> {
  const auth = `${origin}${prefix}/auth`;
  const email = `cookie-${Math.random().toString(36).slice(2)}@example.com`;
  const registered = await send(`${auth}/register?delivery=cookie`, {
    method: 'POST',
    body: { email, password: 'correct horse 1' },
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const cookies = setCookies(registered);
  // Loopback counts as a secure context: the prefixed names (decision 0005).
  const access = cookies.get('__Host-tessera_at')!;
  const refresh = cookies.get('__Secure-tessera_rt')!;
  const csrf = cookies.get('__Host-tessera_csrf')!;
  expect(refresh.attributes).toContain(`Path=${prefix}/auth/refresh`);
  expect(access.attributes).toContain('Path=/');
  const jar = (...names: Array<[string, { value: string }]>) =>
    names.map(([name, cookie]) => `${name}=${cookie.value}`).join('; ');
  const withAccess = { cookie: jar(['__Host-tessera_at', access], ['__Host-tessera_csrf', csrf]) };

  expect((await send(`${origin}/api/orders`, { headers: withAccess })).status).toBe(200);
  expectProblem(
    await send(`${origin}/api/orders`, { method: 'POST', headers: withAccess, body: {} }),
    403,
    'csrf_rejected',
  );
  const csrfHeaders = { ...withAccess, 'x-csrf-token': csrf.value };
  const crossSite = { ...csrfHeaders, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
  expectProblem(
    await send(`${origin}/api/orders`, { method: 'POST', headers: crossSite, body: {} }),
    403,
    'csrf_rejected',
  );
  expect(
    (await send(`${origin}/api/orders`, { method: 'POST', headers: csrfHeaders, body: {} })).status,
  ).toBe(201);

  const refreshJar = { cookie: jar(['__Secure-tessera_rt', refresh], ['__Host-tessera_csrf', csrf]) };
  expectProblem(
    await send(`${auth}/refresh`, { method: 'POST', headers: refreshJar, body: {} }),
    403,
    'csrf_rejected',
  );
  const refreshed = await send(`${auth}/refresh`, {
    method: 'POST',
    headers: { ...refreshJar, 'x-csrf-token': csrf.value },
    body: {},
  });
  expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
  const rotated = setCookies(refreshed);
  expect(rotated.get('__Secure-tessera_rt')!.value).not.toBe(refresh.value);
  expect(rotated.get('__Secure-tessera_rt')!.attributes).toContain(`Path=${prefix}/auth/refresh`);

  const freshCsrf = rotated.get('__Host-tessera_csrf')!;
  const signedIn = {
    cookie: jar(['__Host-tessera_at', rotated.get('__Host-tessera_at')!], ['__Host-tessera_csrf', freshCsrf]),
    'x-csrf-token': freshCsrf.value,
  };
  const logout = await send(`${auth}/logout`, { method: 'POST', headers: signedIn, body: {} });
  expect(logout.status).toBe(204);
  const cleared = setCookies(logout);
  expect(cleared.get('__Secure-tessera_rt')!.attributes).toContain(`Path=${prefix}/auth/refresh`);
  expect(cleared.get('__Host-tessera_at')!.value).toBe('');
}
