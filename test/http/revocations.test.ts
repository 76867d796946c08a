import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REVOCATION_FEED_OVERLAP_SECONDS } from '../../src/flows/revocation/revocation-feed.js';
import { deleteUser } from '../../src/flows/admin/user-admin.js';
import { decodeJwtUnverified } from '../../src/token/decode.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import { bearer, expectProblem, loginUser, PASSWORD, registerUser } from './http-kit.js';

interface FeedBody {
  revoked: { sid: string; revoked_at: number }[];
  cursor: string;
  more: boolean;
  window_seconds: number;
  overlap_seconds: number;
}

describe('GET /auth/revocations', () => {
  let app: FastifyInstance;
  let deps: TestDeps;

  beforeEach(async () => {
    ({ app, deps } = await createTestApp());
  });
  afterEach(async () => {
    await app.close();
  });

  const feed = (query = '') => app.inject({ method: 'GET', url: `/auth/revocations${query}` });
  const sidOf = (token: string) => decodeJwtUnverified(token).payload.sid as string;

  it('lists the sid of a logged-out session, public, uncached, with nothing but sid and time', async () => {
    const registered = await registerUser(app);
    const empty = await feed();
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json<FeedBody>().revoked).toEqual([]);

    deps.clock.advanceSeconds(5);
    const logout = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(registered.access_token),
    });
    expect(logout.statusCode).toBe(204);

    const response = await feed(`?since=${encodeURIComponent(empty.json<FeedBody>().cursor)}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json<FeedBody>();
    expect(body.revoked).toEqual([
      { sid: sidOf(registered.access_token), revoked_at: Math.floor(deps.clock.now().getTime() / 1000) },
    ]);
    expect(body).toMatchObject({
      more: false,
      window_seconds: deps.config.accessTokenTtlSeconds + deps.config.clockToleranceSeconds,
      overlap_seconds: REVOCATION_FEED_OVERLAP_SECONDS,
    });
    expect(response.body).not.toContain(registered.user.email);
    expect(response.body).not.toContain(registered.user.id);
  });

  it('keeps listing the sessions of a deleted user (tombstones) while their tokens can live', async () => {
    const registered = await registerUser(app);
    const second = await loginUser(app);
    const loggedOutBefore = await loginUser(app);
    await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(loggedOutBefore.access_token) });
    deps.clock.advanceSeconds(5);
    await deleteUser(deps, registered.user.email);
    expect(await deps.stores.users.findById(registered.user.id)).toBeUndefined();

    const sids = [registered, second, loggedOutBefore].map((pair) => sidOf(pair.access_token)).sort();
    const listed = (await feed()).json<FeedBody>().revoked.map((entry) => entry.sid);
    expect(listed.sort()).toEqual(sids);
    expect(new Set(listed).size).toBe(listed.length);

    // Once the window has passed, a later deletion prunes the tombstones: nothing is listed any more.
    deps.clock.advanceSeconds(deps.config.accessTokenTtlSeconds + deps.config.clockToleranceSeconds + 1);
    const other = await registerUser(app, 'other@example.com');
    await deleteUser(deps, other.user.email);
    const after = (await feed()).json<FeedBody>().revoked.map((entry) => entry.sid);
    expect(after).toEqual([sidOf(other.access_token)]);
    expect(
      (await deps.stores.sessions.listRevokedSince({ revokedAt: new Date(0), id: '' }, 100)).map((r) => r.id),
    ).toEqual([sidOf(other.access_token)]);
  });

  it('lists every session of a global logout, and not the sessions still active', async () => {
    const first = await registerUser(app);
    const second = await loginUser(app);
    const bystander = await registerUser(app, 'bob@example.com', PASSWORD);
    const response = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(second.access_token),
      payload: { scope: 'global' },
    });
    expect(response.statusCode).toBe(204);
    const listed = (await feed()).json<FeedBody>().revoked.map((entry) => entry.sid);
    expect(listed.sort()).toEqual([sidOf(first.access_token), sidOf(second.access_token)].sort());
    expect(listed).not.toContain(sidOf(bystander.access_token));
  });

  it('leaves out revocations older than every access token they could concern', async () => {
    const registered = await registerUser(app);
    await app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(registered.access_token) });
    deps.clock.advanceSeconds(deps.config.accessTokenTtlSeconds + deps.config.clockToleranceSeconds + 1);
    expect((await feed()).json<FeedBody>().revoked).toEqual([]);
  });

  it.each([
    ['a malformed cursor', '?since=not-a-cursor'],
    ['an empty cursor', '?since='],
    ['an overlong cursor', `?since=${'1'.repeat(300)}`],
    ['an unknown parameter', '?limit=10'],
  ])('answers 400 invalid_request to %s', async (_name, query) => {
    expectProblem(await feed(query), 400, 'invalid_request', { instance: '/auth/revocations' });
  });

  it('is listed in GET /openapi.json with its query parameters', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>;
    }>();
    expect(document.paths['/auth/revocations']?.get?.parameters?.map((p) => p.name)).toEqual([
      'since',
      'wait',
    ]);
  });
});
