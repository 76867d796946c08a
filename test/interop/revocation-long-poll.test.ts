/**
 * tessera/verify in long-poll mode against Tessera on a loopback port: the verifier's request parks on
 * the feed, a logout wakes it, and the token is refused right after, with no interval to wait
 * (intervalMs is a minute, the wait 30 s: either would outlive the test's timeout).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier, type Verifier } from '../../src/verify/create-verifier.js';
import { bearer, registerUser } from '../http/http-kit.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('tessera/verify long-polling the revocation feed (real socket)', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let base: string;
  let verifier: Verifier;
  /** Feed requests sent, and how many have been answered. */
  const sent: string[] = [];
  let answered = 0;

  beforeEach(async () => {
    ({ app, deps } = await createTestApp());
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    sent.length = 0;
    answered = 0;
    verifier = createVerifier({
      jwksUri: `${base}/.well-known/jwks.json`,
      issuer: deps.config.issuer,
      audience: deps.config.audience,
      algorithms: [deps.config.algorithm],
      clock: deps.clock,
      fetch: (async (input: string | URL | Request, init?: RequestInit) => {
        const url = new URL(String(input));
        if (url.pathname !== '/auth/revocations') return fetch(input, init);
        sent.push(url.search);
        const response = await fetch(input, init);
        answered += 1;
        return response;
      }) as typeof fetch,
      revocations: { url: `${base}/auth/revocations`, intervalMs: 60_000, longPollSeconds: 30 },
    });
  });
  afterEach(async () => {
    verifier.close();
    await app.close();
  });

  const parkedOnTessera = () => sent.length > answered && (sent.at(-1) ?? '').includes('wait=30');

  it('refuses a token right after its logout: the parked poll is woken, no interval wait', async () => {
    const alice = await registerUser(app);
    await expect(verifier.verify(alice.access_token)).resolves.toMatchObject({ sub: alice.user.id });
    expect(sent[0]).toBe(''); // the first poll never parks: verify() waits for it
    await until(parkedOnTessera);

    const logout = await fetch(`${base}/auth/logout`, {
      method: 'POST',
      headers: bearer(alice.access_token),
    });
    expect(logout.status).toBe(204);
    await until(() => verifier.health().revocations!.revokedSessions === 1);
    await expect(verifier.verify(alice.access_token)).rejects.toMatchObject({ code: 'session_revoked' });
    expect(verifier.health().revocations).toMatchObject({ healthy: true, lastError: undefined });
    await until(parkedOnTessera); // and it asks again at once
  });

  it('syncRevocations() cuts a parked poll short and reads at once; close() releases it; no error recorded', async () => {
    const alice = await registerUser(app);
    await verifier.verify(alice.access_token);
    await until(parkedOnTessera);
    const before = sent.length;
    await verifier.syncRevocations(); // a parked poll left alone would hold this for 30 s
    expect(sent.slice(before)).toEqual([expect.not.stringContaining('wait=')]);
    await expect(verifier.verify(alice.access_token)).resolves.toBeDefined();
    expect(verifier.health().revocations!.lastError).toBeUndefined();
    await until(parkedOnTessera);
    verifier.close();
    await app.close(); // not held up by the verifier's parked request either
    expect(verifier.health().revocations!.lastError).toBeUndefined();
  });

  it.each([-1, 31, 1.5])('refuses longPollSeconds %s', (longPollSeconds) => {
    expect(() =>
      createVerifier({
        keys: deps.keys.jwks(),
        issuer: deps.config.issuer,
        audience: deps.config.audience,
        algorithms: [deps.config.algorithm],
        revocations: { url: `${base}/auth/revocations`, longPollSeconds },
      }),
    ).toThrow(TypeError);
  });
});
