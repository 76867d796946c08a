import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildJwks } from '../../../src/keys/jwks.js';
import { REVOCATION_FEED_OVERLAP_SECONDS } from '../../../src/flows/revocation/revocation-feed.js';
import { decodeJwtUnverified } from '../../../src/token/decode.js';
import { createVerifier, type Verifier, type VerifierOptions } from '../../../src/verify/create-verifier.js';
import { createTestApp, type TestDeps } from '../../helpers/test-deps.js';
import { bearer, loginUser, registerUser } from '../../http/http-kit.js';
import { fetchFromApp } from './tessera-fetch.js';
import { newKey, rejection } from './verify-kit.js';

const INTERVAL_SECONDS = 5;

describe('revocation feed poller (against a Tessera app, on the injected clock)', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let feed: ReturnType<typeof fetchFromApp>;
  let verifier: Verifier | undefined;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    ({ app, deps } = await createTestApp());
    feed = fetchFromApp(app);
  });
  afterEach(async () => {
    verifier?.close();
    verifier = undefined;
    vi.useRealTimers();
    await app.close();
  });

  async function startVerifier(revocations: Partial<NonNullable<VerifierOptions['revocations']>> = {}) {
    verifier = createVerifier({
      jwksUri: `${deps.config.issuer}/.well-known/jwks.json`,
      issuer: deps.config.issuer,
      audience: deps.config.audience,
      algorithms: [deps.config.algorithm],
      clock: deps.clock,
      fetch: feed.fetch,
      revocations: {
        url: `${deps.config.issuer}/auth/revocations`,
        intervalMs: INTERVAL_SECONDS * 1000,
        ...revocations,
      },
    });
    await vi.advanceTimersByTimeAsync(0); // the first poll, started at creation
    return verifier;
  }

  /** Moves Tessera's clock and the poller's timers together, one second at a time. */
  async function elapse(seconds: number) {
    for (let i = 0; i < seconds; i++) {
      deps.clock.advanceSeconds(1);
      await vi.advanceTimersByTimeAsync(1000);
    }
  }

  const logout = (token: string) =>
    app.inject({ method: 'POST', url: '/auth/logout', headers: bearer(token) });

  it('rejects a logged-out session within one interval, and not a session still active', async () => {
    const alice = await registerUser(app);
    const other = await loginUser(app);
    const v = await startVerifier();
    await expect(v.verify(alice.access_token)).resolves.toMatchObject({ sub: alice.user.id });
    expect((await logout(alice.access_token)).statusCode).toBe(204);
    // Until the next poll the verifier does not know: this is the staleness the bound is about.
    await expect(v.verify(alice.access_token)).resolves.toBeDefined();
    await elapse(INTERVAL_SECONDS);
    expect((await rejection(v.verify(alice.access_token))).code).toBe('session_revoked');
    await expect(v.verify(other.access_token)).resolves.toMatchObject({ sub: alice.user.id });
  });

  it.each([0, 3, 8, REVOCATION_FEED_OVERLAP_SECONDS - 1])(
    'rejects within interval + overlap of revoked_at when the revocation commits %i s late',
    async (commitDelaySeconds) => {
      const alice = await registerUser(app);
      const sid = decodeJwtUnverified(alice.access_token).payload.sid as string;
      const v = await startVerifier();
      await elapse(2); // somewhere between two polls
      const revokedAt = deps.clock.now();
      await elapse(commitDelaySeconds); // polls run meanwhile and see nothing yet
      await deps.stores.sessions.revoke({
        userId: alice.user.id,
        ids: [sid],
        reason: 'logout',
        at: revokedAt,
      });
      let rejectedAfter: number | undefined;
      for (
        let second = commitDelaySeconds;
        second <= INTERVAL_SECONDS + REVOCATION_FEED_OVERLAP_SECONDS;
        second++
      ) {
        const error = await v.verify(alice.access_token).then(
          () => undefined,
          (caught: { code?: string }) => caught,
        );
        if (error?.code === 'session_revoked') {
          rejectedAfter = second;
          break;
        }
        await elapse(1);
      }
      expect(rejectedAfter).toBeDefined();
      expect(rejectedAfter!).toBeLessThanOrEqual(commitDelaySeconds + INTERVAL_SECONDS);
      expect(rejectedAfter!).toBeLessThanOrEqual(INTERVAL_SECONDS + REVOCATION_FEED_OVERLAP_SECONDS);
    },
  );

  it('a fresh verifier waits for its first poll before answering, so it never starts out blind', async () => {
    const alice = await registerUser(app);
    await logout(alice.access_token);
    const fresh = createVerifier({
      keys: deps.keys.jwks(), // static keys: nothing else to wait for before the revocation check
      issuer: deps.config.issuer,
      audience: deps.config.audience,
      algorithms: [deps.config.algorithm],
      clock: deps.clock,
      fetch: feed.fetch,
      revocations: { url: `${deps.config.issuer}/auth/revocations` },
    });
    try {
      expect((await rejection(fresh.verify(alice.access_token))).code).toBe('session_revoked');
    } finally {
      fresh.close();
    }
  });

  it('syncRevocations() polls at once', async () => {
    const alice = await registerUser(app);
    const v = await startVerifier();
    await logout(alice.access_token);
    await v.syncRevocations();
    expect((await rejection(v.verify(alice.access_token))).code).toBe('session_revoked');
  });

  it('keeps the last list while the feed is down; fail-open keeps accepting others, health turns bad', async () => {
    const alice = await registerUser(app);
    const bob = await registerUser(app, 'bob@example.com');
    const v = await startVerifier();
    await logout(alice.access_token);
    await v.syncRevocations();
    feed.feedDown = true;
    await elapse(4 * INTERVAL_SECONDS);
    expect((await rejection(v.verify(alice.access_token))).code).toBe('session_revoked');
    await expect(v.verify(bob.access_token)).resolves.toBeDefined();
    expect(v.health().revocations).toMatchObject({
      healthy: false,
      lastError: expect.stringMatching(/reached/),
    });
    feed.feedDown = false;
    await elapse(INTERVAL_SECONDS);
    expect(v.health().revocations).toMatchObject({ healthy: true, lastError: undefined });
  });

  it('fail-closed refuses every token with service_unavailable once the feed is stale, and recovers', async () => {
    const bob = await registerUser(app);
    const v = await startVerifier({ failMode: 'closed', maxStalenessMs: 2 * INTERVAL_SECONDS * 1000 });
    feed.feedDown = true;
    await elapse(INTERVAL_SECONDS);
    await expect(v.verify(bob.access_token)).resolves.toBeDefined(); // still within maxStalenessMs
    await elapse(2 * INTERVAL_SECONDS);
    expect((await rejection(v.verify(bob.access_token))).code).toBe('service_unavailable');
    feed.feedDown = false;
    await elapse(INTERVAL_SECONDS);
    await expect(v.verify(bob.access_token)).resolves.toBeDefined();
  });

  it('forgets a revoked sid once no token of it can be valid any more', async () => {
    const alice = await registerUser(app);
    const v = await startVerifier();
    await logout(alice.access_token);
    await v.syncRevocations();
    expect(v.health().revocations?.revokedSessions).toBe(1);
    await elapse(
      deps.config.accessTokenTtlSeconds + deps.config.clockToleranceSeconds + 30 + INTERVAL_SECONDS,
    );
    expect(v.health().revocations?.revokedSessions).toBe(0);
    expect((await rejection(v.verify(alice.access_token))).code).toBe('token_expired');
  });

  it('refuses a token without sid when revocations are on (it could never be checked)', async () => {
    await startVerifier();
    // A token Tessera would never issue: signed by the server's own key, but without sid.
    const { signJwt } = await import('../../../src/token/jwt-sign.js');
    const iat = Math.floor(deps.clock.now().getTime() / 1000);
    const token = signJwt(
      { iss: deps.config.issuer, aud: deps.config.audience, sub: 'x', iat, exp: iat + 60 },
      deps.keys.signingKey,
      { typ: 'at+jwt' },
    );
    expect((await rejection(verifier!.verify(token))).code).toBe('token_claim_invalid');
  });
});

describe('revocation feed poller: malformed feed answers', () => {
  it.each([
    ['not JSON', 'nope'],
    ['no revoked list', JSON.stringify({ cursor: '1', more: false, window_seconds: 930 })],
    [
      'an entry without sid',
      JSON.stringify({ revoked: [{}], cursor: '1', more: false, window_seconds: 930 }),
    ],
    ['no cursor', JSON.stringify({ revoked: [], more: false, window_seconds: 930 })],
    ['no more flag', JSON.stringify({ revoked: [], cursor: '1', window_seconds: 930 })],
    [
      'an entry without revoked_at',
      JSON.stringify({ revoked: [{ sid: 's2' }], cursor: '1', more: false, window_seconds: 930 }),
    ],
    ['a zero window', JSON.stringify({ revoked: [], cursor: '1', more: false, window_seconds: 0 })],
  ])('records %s as an error and changes nothing', async (_name, body) => {
    const { createTestDeps } = await import('../../helpers/test-deps.js');
    const deps = await createTestDeps();
    let answer = JSON.stringify({
      revoked: [{ sid: 's1', revoked_at: Math.floor(deps.clock.now().getTime() / 1000) }],
      cursor: '1',
      more: false,
      window_seconds: 930,
    });
    const fetchFeed = (async () => new Response(answer, { status: 200 })) as typeof fetch;
    const v = createVerifier({
      keys: deps.keys.jwks(),
      issuer: deps.config.issuer,
      audience: deps.config.audience,
      algorithms: [deps.config.algorithm],
      clock: deps.clock,
      fetch: fetchFeed,
      revocations: { url: 'http://127.0.0.1:9/auth/revocations', intervalMs: 60_000 },
    });
    await v.syncRevocations();
    expect(v.health().revocations?.revokedSessions).toBe(1);
    answer = body;
    await v.syncRevocations();
    v.close();
    expect(v.health().revocations?.revokedSessions).toBe(1);
    expect(v.health().revocations?.lastError).toBeDefined();
  });

  it('refuses bad poller options as programmer errors', () => {
    const base = { keys: buildJwks([newKey()]), issuer: 'i', audience: 'a', algorithms: ['ES256'] as const };
    expect(() => createVerifier({ ...base, revocations: { url: 'ftp://x/feed' } })).toThrow(/http/);
    expect(() => createVerifier({ ...base, revocations: { url: 'http://x/feed', intervalMs: 10 } })).toThrow(
      /intervalMs/,
    );
    expect(() =>
      createVerifier({
        ...base,
        revocations: { url: 'http://x/feed', intervalMs: 5000, maxStalenessMs: 1000 },
      }),
    ).toThrow(/maxStalenessMs/);
  });
});
