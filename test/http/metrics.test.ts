import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import { parseExposition, sampleValue, type Exposition } from '../helpers/prometheus-text.js';
import { bearer, expectProblem, loginUser, postLogin, postRefresh, registerUser } from './http-kit.js';

const roomy = { max: 1000, windowSeconds: 60 };
const ROOMY_LIMITS: Config['rateLimits'] = {
  loginPerIp: roomy,
  loginPerAccount: roomy,
  registerPerIp: roomy,
  refreshPerIp: roomy,
  recoveryPerIp: roomy,
  recoveryPerAccount: roomy,
  linkPerIp: roomy,
  mfaPerIp: roomy,
};
const TOKEN = 'scrape-token-0123456789abcdef0123456789abcdef';

describe('GET /metrics', () => {
  let app: FastifyInstance;
  let deps: TestDeps;

  async function start(config: Partial<Config> = {}): Promise<void> {
    ({ app, deps } = await createTestApp({
      config: {
        rateLimits: ROOMY_LIMITS,
        lockout: { threshold: 3, baseSeconds: 30, maxSeconds: 60 },
        ...config,
      },
    }));
  }

  afterEach(async () => {
    await app?.close();
  });

  async function scrape(extra: Partial<InjectOptions> = {}): Promise<Exposition> {
    const response = await app.inject({ method: 'GET', url: '/metrics', ...extra });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    return parseExposition(response.body);
  }

  /** The change of each named counter across `act`, read from two scrapes. */
  async function deltas(
    series: Record<string, [name: string, labels?: Record<string, string>]>,
    act: () => Promise<void>,
  ): Promise<Record<string, number>> {
    const before = await scrape();
    await act();
    const after = await scrape();
    const read = (exposition: Exposition, [name, labels]: [string, Record<string, string>?]) => {
      try {
        return sampleValue(exposition, name, labels);
      } catch {
        return 0; // a labelled series appears with its first observation
      }
    };
    return Object.fromEntries(
      Object.entries(series).map(([key, id]) => [key, read(after, id) - read(before, id)]),
    );
  }

  const SERIES = {
    succeeded: ['tessera_sign_ins_total', { outcome: 'succeeded' }],
    failed: ['tessera_sign_ins_total', { outcome: 'failed' }],
    locked: ['tessera_sign_ins_total', { outcome: 'locked' }],
    disabled: ['tessera_sign_ins_total', { outcome: 'disabled' }],
    lockouts: ['tessera_lockouts_total'],
    rotations: ['tessera_refresh_rotations_total'],
    reuses: ['tessera_refresh_reuse_detections_total'],
    announced: ['tessera_revocations_announced_total'],
    loginIp: ['tessera_rate_limited_total', { rule: 'loginPerIp' }],
    refreshIp: ['tessera_rate_limited_total', { rule: 'refreshPerIp' }],
    login200: ['tessera_http_requests_total', { method: 'POST', route: '/auth/login', status: '200' }],
    login401: ['tessera_http_requests_total', { method: 'POST', route: '/auth/login', status: '401' }],
    login429: ['tessera_http_requests_total', { method: 'POST', route: '/auth/login', status: '429' }],
    loginTimed: ['tessera_http_request_duration_seconds_count', { method: 'POST', route: '/auth/login' }],
  } satisfies Record<string, [string, Record<string, string>?]>;
  const ZERO = Object.fromEntries(Object.keys(SERIES).map((key) => [key, 0]));

  describe('counts outcomes where the flows decide them', () => {
    it('a sign-in: one success, one 200 at the login route, one timed request; nothing else', async () => {
      await start();
      await registerUser(app);
      const moved = await deltas(SERIES, async () => void (await loginUser(app)));
      expect(moved).toEqual({ ...ZERO, succeeded: 1, login200: 1, loginTimed: 1 });
    });

    it('a wrong password: one failure and one 401', async () => {
      await start();
      await registerUser(app);
      const moved = await deltas(SERIES, async () => {
        expectProblem(
          await postLogin(app, 'alice@example.com', 'wrong password'),
          401,
          'invalid_credentials',
        );
      });
      expect(moved).toEqual({ ...ZERO, failed: 1, login401: 1, loginTimed: 1 });
    });

    it('a lockout: the third failure starts one lock; the next attempt, right password or not, is "locked"', async () => {
      await start();
      await registerUser(app);
      const failures = await deltas(SERIES, async () => {
        for (let i = 0; i < 3; i += 1) await postLogin(app, 'alice@example.com', 'wrong password');
      });
      expect(failures).toEqual({ ...ZERO, failed: 3, lockouts: 1, login401: 3, loginTimed: 3 });
      const locked = await deltas(SERIES, async () => {
        expectProblem(await postLogin(app), 429, 'account_locked');
      });
      expect(locked).toEqual({ ...ZERO, locked: 1, login429: 1, loginTimed: 1 });
    });

    it('a disabled account with the right password is "disabled"', async () => {
      await start();
      const { user } = await registerUser(app);
      await deps.stores.users.update(user.id, { disabled: true, updatedAt: deps.clock.now() });
      const moved = await deltas(SERIES, async () => {
        expectProblem(await postLogin(app), 403, 'account_disabled');
      });
      expect(moved).toMatchObject({ disabled: 1, succeeded: 0, failed: 0 });
    });

    it('a refresh is one rotation; a replay inside the grace window is none; a reuse after it is one detection and one announced revocation', async () => {
      await start();
      const first = await registerUser(app);
      let successor = '';
      const rotated = await deltas(SERIES, async () => {
        const response = await postRefresh(app, first.refresh_token);
        expect(response.statusCode, response.body).toBe(200);
        successor = response.json<{ refresh_token: string }>().refresh_token;
      });
      expect(rotated).toEqual({ ...ZERO, rotations: 1 });
      const replayed = await deltas(SERIES, async () => {
        expect((await postRefresh(app, first.refresh_token)).statusCode).toBe(200);
      });
      expect(replayed).toEqual(ZERO);
      deps.clock.advanceSeconds(deps.config.refreshReuseGraceSeconds + 1);
      const reused = await deltas(SERIES, async () => {
        expectProblem(await postRefresh(app, first.refresh_token), 401, 'refresh_token_reused');
      });
      expect(reused).toEqual({ ...ZERO, reuses: 1, announced: 1 });
      expect(successor).not.toBe('');
    });

    it('a global logout announces each revoked session once', async () => {
      await start();
      const first = await registerUser(app);
      await loginUser(app);
      await loginUser(app);
      const moved = await deltas(SERIES, async () => {
        const response = await app.inject({
          method: 'POST',
          url: '/auth/logout',
          headers: bearer(first.access_token),
          payload: { scope: 'global' },
        });
        expect(response.statusCode, response.body).toBe(204);
      });
      expect(moved.announced).toBe(3);
    });

    it('a 429 from a rate limit counts under its rule, and only the refusal counts', async () => {
      await start({ rateLimits: { ...ROOMY_LIMITS, loginPerIp: { max: 2, windowSeconds: 60 } } });
      await registerUser(app);
      const moved = await deltas(SERIES, async () => {
        await loginUser(app);
        await loginUser(app);
        expectProblem(await postLogin(app), 429, 'rate_limited');
        expectProblem(await postLogin(app), 429, 'rate_limited');
      });
      expect(moved).toEqual({ ...ZERO, succeeded: 2, login200: 2, login429: 2, loginTimed: 4, loginIp: 2 });
    });
  });

  describe('labels are bounded', () => {
    it('routes are patterns, unknown paths share one label, and no e-mail or id appears anywhere', async () => {
      await start();
      const emails = ['zq-metrics-7f3a9@example.org', 'Very.Distinct+tag@example.net'];
      const ids: string[] = [];
      for (const email of emails) {
        const { user, access_token: token, refresh_token: refresh } = await registerUser(app, email);
        ids.push(user.id, refresh.split('.')[0]!);
        const sessions = await app.inject({ method: 'GET', url: '/auth/sessions', headers: bearer(token) });
        const sessionId = sessions.json<{ sessions: { id: string }[] }>().sessions[0]!.id;
        ids.push(sessionId);
        await app.inject({ method: 'DELETE', url: `/auth/sessions/${sessionId}`, headers: bearer(token) });
        await postLogin(app, email, 'wrong password');
        await app.inject({ method: 'GET', url: `/users/${email}/${user.id}?secret=${user.id}` });
        await app.inject({ method: 'GET', url: `/${'x'.repeat(40)}-${user.id}` });
      }
      const response = await app.inject({ method: 'GET', url: '/metrics' });
      const text = response.body;
      for (const value of [...emails, ...emails.map((email) => email.toLowerCase()), ...ids]) {
        expect(text).not.toContain(value);
      }
      const exposition = parseExposition(text);
      const routes = new Set(
        exposition.samples.filter((s) => s.name === 'tessera_http_requests_total').map((s) => s.labels.route),
      );
      expect(routes).toContain('/auth/sessions/:id');
      expect(routes).toContain('(unmatched)');
      expect(
        sampleValue(exposition, 'tessera_http_requests_total', {
          method: 'GET',
          route: '(unmatched)',
          status: '404',
        }),
      ).toBe(4);
      for (const route of routes) expect(route === '(unmatched)' || route!.startsWith('/')).toBe(true);
      // Every label of every series is one of the bounded names.
      const labelNames = new Set(exposition.samples.flatMap((s) => Object.keys(s.labels)));
      expect([...labelNames].sort()).toEqual(['le', 'method', 'outcome', 'route', 'rule', 'status', 'store']);
    });

    it('scrapes of /metrics are not counted as requests', async () => {
      await start();
      await scrape();
      await scrape();
      const exposition = await scrape();
      const metricsSeries = exposition.samples.filter((s) => s.labels.route === '/metrics');
      expect(metricsSeries).toEqual([]);
    });
  });

  describe('exposition', () => {
    it('is the Prometheus text format with the documented names and types', async () => {
      await start();
      const { types } = await scrape();
      expect(Object.fromEntries(types)).toEqual({
        tessera_http_requests_total: 'counter',
        tessera_http_request_duration_seconds: 'histogram',
        tessera_sign_ins_total: 'counter',
        tessera_lockouts_total: 'counter',
        tessera_refresh_rotations_total: 'counter',
        tessera_refresh_reuse_detections_total: 'counter',
        tessera_revocations_announced_total: 'counter',
        tessera_revocation_announce_failures_total: 'counter',
        tessera_revocation_propagation_seconds: 'histogram',
        tessera_rate_limited_total: 'counter',
        tessera_store_up: 'gauge',
        tessera_store_ping_seconds: 'gauge',
        tessera_signing_key_age_seconds: 'gauge',
        tessera_mail_outbox_messages: 'gauge',
      });
    });

    it('counts the mail outbox by status at scrape time', async () => {
      await start();
      const before = await scrape();
      expect(sampleValue(before, 'tessera_mail_outbox_messages', { status: 'pending' })).toBe(0);
      await deps.stores.mailOutbox.enqueue({ to: 'ops@example.com', template: 'test', data: {} });
      const after = await scrape();
      expect(sampleValue(after, 'tessera_mail_outbox_messages', { status: 'pending' })).toBe(1);
    });

    it('reads the database and the signing key at scrape time', async () => {
      await start();
      deps.clock.advanceSeconds(3600);
      let exposition = await scrape();
      expect(sampleValue(exposition, 'tessera_store_up', { store: 'database' })).toBe(1);
      expect(
        sampleValue(exposition, 'tessera_store_ping_seconds', { store: 'database' }),
      ).toBeGreaterThanOrEqual(0);
      expect(sampleValue(exposition, 'tessera_signing_key_age_seconds')).toBe(3600);
      deps.stores.ping = async () => false;
      exposition = await scrape();
      expect(sampleValue(exposition, 'tessera_store_up', { store: 'database' })).toBe(0);
      // No Redis configured: no Redis series.
      expect(exposition.samples.some((s) => s.labels.store === 'redis')).toBe(false);
    });

    it('is listed in GET /openapi.json as text/plain, with its 401 and 403', async () => {
      await start();
      const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
        paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>>;
      }>();
      const responses = document.paths['/metrics']!.get!.responses;
      expect(Object.keys(responses['200']!.content!)).toEqual(['text/plain']);
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
    });
  });

  describe('who may scrape', () => {
    it('off: 404 not_found, and absent from the OpenAPI document', async () => {
      await start({ metrics: { enabled: false, allow: ['loopback'], token: null } });
      expectProblem(await app.inject({ method: 'GET', url: '/metrics' }), 404, 'not_found');
      const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: object }>();
      expect(Object.keys(document.paths)).not.toContain('/metrics');
      expect(deps.metrics.enabled).toBe(false);
    });

    it('by default only loopback: 127.0.0.1, ::1 and ::ffff:127.0.0.1 scrape, another address gets 403', async () => {
      await start();
      for (const remoteAddress of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
        expect((await app.inject({ method: 'GET', url: '/metrics', remoteAddress })).statusCode).toBe(200);
      }
      for (const remoteAddress of ['203.0.113.7', '::ffff:203.0.113.7', '2001:db8::1', '10.0.0.1']) {
        const response = await app.inject({ method: 'GET', url: '/metrics', remoteAddress });
        expectProblem(response, 403, 'metrics_address_refused');
      }
    });

    it('an allow-list of ranges admits its members only', async () => {
      await start({ metrics: { enabled: true, allow: ['10.0.0.0/8', '2001:db8::/32'], token: null } });
      expect(
        (await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.20.30.40' })).statusCode,
      ).toBe(200);
      expect(
        (await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '2001:db8::7' })).statusCode,
      ).toBe(200);
      expectProblem(await app.inject({ method: 'GET', url: '/metrics' }), 403, 'metrics_address_refused');
      expectProblem(
        await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '11.0.0.1' }),
        403,
        'metrics_address_refused',
      );
    });

    it('a token: none → 401 metrics_token_missing, wrong → 401 metrics_token_invalid, right → 200', async () => {
      await start({ metrics: { enabled: true, allow: ['loopback'], token: TOKEN } });
      expectProblem(await app.inject({ method: 'GET', url: '/metrics' }), 401, 'metrics_token_missing');
      expectProblem(
        await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Basic ${TOKEN}` } }),
        401,
        'metrics_token_missing',
      );
      expectProblem(
        await app.inject({ method: 'GET', url: '/metrics', headers: bearer(`${TOKEN}x`) }),
        401,
        'metrics_token_invalid',
      );
      expectProblem(
        await app.inject({ method: 'GET', url: '/metrics', headers: bearer(TOKEN.slice(1)) }),
        401,
        'metrics_token_invalid',
      );
      await scrape({ headers: bearer(TOKEN) });
    });

    it('address before token: the right token from another address is still 403', async () => {
      await start({ metrics: { enabled: true, allow: ['loopback'], token: TOKEN } });
      const response = await app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress: '203.0.113.7',
        headers: bearer(TOKEN),
      });
      expectProblem(response, 403, 'metrics_address_refused');
    });

    it('`any` with a token: every address, token required', async () => {
      await start({ metrics: { enabled: true, allow: ['any'], token: TOKEN } });
      const far = { remoteAddress: '203.0.113.7' };
      expectProblem(
        await app.inject({ method: 'GET', url: '/metrics', ...far }),
        401,
        'metrics_token_missing',
      );
      await scrape({ ...far, headers: bearer(TOKEN) });
    });

    it('behind a proxy, the client address counts only with TESSERA_TRUST_PROXY', async () => {
      const forwarded = { 'x-forwarded-for': '198.51.100.9' };
      const allow = { enabled: true, allow: ['198.51.100.0/24'], token: null };
      await start({ metrics: allow, trustProxy: true });
      await scrape({ headers: forwarded });
      await app.close();
      // Untrusted, the header is ignored: the address is the proxy's (loopback), outside the list.
      await start({ metrics: allow, trustProxy: false });
      expectProblem(
        await app.inject({ method: 'GET', url: '/metrics', headers: forwarded }),
        403,
        'metrics_address_refused',
      );
    });

    it('declares no rate limit: no 429 in its OpenAPI answers, and a fast scraper is never refused', async () => {
      await start();
      const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      }>();
      expect(Object.keys(document.paths['/metrics']!.get!.responses)).not.toContain('429');
      for (let i = 0; i < 30; i += 1) await scrape();
    });
  });
});
