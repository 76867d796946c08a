/**
 * jose's createRemoteJWKSet + jwtVerify, and tessera/verify, against Tessera's real JWKS endpoint on a
 * loopback port, before and after a key rotation (next published, then promoted to current): tokens
 * of both keys verify in both. Plus the revocation feed over real HTTP: logout in Tessera, the
 * verifier refuses the token after its next poll.
 */
import type { FastifyInstance } from 'fastify';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reloadKeys } from '../../src/flows/keys/reload-keys.js';
import { KEY_RELOAD_INTERVAL_SECONDS, rotateSigningKeys } from '../../src/flows/keys/rotate-keys.js';
import { JWKS_MAX_AGE_SECONDS } from '../../src/keys/jwks.js';
import { createVerifier, type Verifier } from '../../src/verify/create-verifier.js';
import { bearer, loginUser, registerUser } from '../http/http-kit.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';

const kidOf = (token: string): string =>
  JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;

describe("Tessera's JWKS endpoint on a real socket", () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let base: string;
  let verifier: Verifier;

  beforeAll(async () => {
    ({ app, deps } = await createTestApp());
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    verifier = createVerifier({
      jwksUri: `${base}/.well-known/jwks.json`,
      issuer: deps.config.issuer,
      audience: deps.config.audience,
      algorithms: [deps.config.algorithm],
      clock: deps.clock,
      revocations: { url: `${base}/auth/revocations`, intervalMs: 60_000 },
    });
  });
  afterAll(async () => {
    verifier.close();
    await app.close();
  });

  it('jose createRemoteJWKSet and tessera/verify accept tokens of the old and the new key across a rotation', async () => {
    // Real time does not pass in this test; in production the promotion comes at least
    // JWKS_MAX_AGE_SECONDS + 60 s after the publication, far beyond jose's 30 s refetch cooldown.
    const jwks = createRemoteJWKSet(new URL(`${base}/.well-known/jwks.json`), { cooldownDuration: 0 });
    const joseVerify = (token: string) =>
      jwtVerify(token, jwks, {
        issuer: deps.config.issuer,
        audience: deps.config.audience,
        typ: 'at+jwt',
        algorithms: [deps.config.algorithm],
        currentDate: deps.clock.now(),
      });

    const before = (await registerUser(app)).access_token;
    expect((await joseVerify(before)).payload.sid).toBeTypeOf('string');
    await expect(verifier.verify(before)).resolves.toMatchObject({ iss: deps.config.issuer });

    expect((await rotateSigningKeys(deps, deps.clock.now())).action).toBe('published');
    await reloadKeys(deps);
    deps.clock.advanceSeconds(JWKS_MAX_AGE_SECONDS + KEY_RELOAD_INTERVAL_SECONDS);
    expect((await rotateSigningKeys(deps, deps.clock.now(), { scheduled: true })).action).toBe('promoted');
    await reloadKeys(deps);

    const after = (await loginUser(app)).access_token;
    expect(kidOf(after)).not.toBe(kidOf(before));
    for (const token of [before, after]) {
      expect((await joseVerify(token)).protectedHeader.kid).toBe(kidOf(token));
      await expect(verifier.verify(token)).resolves.toMatchObject({ sub: expect.any(String) });
      const server = await app.inject({ method: 'GET', url: '/api/secure', headers: bearer(token) });
      expect(server.statusCode).toBe(200);
    }
    const published = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    expect(published.keys.map((key) => key.kid).sort()).toEqual([kidOf(before), kidOf(after)].sort());
  });

  it('the verifier refuses a token once Tessera logged its session out (real HTTP feed)', async () => {
    const token = (await registerUser(app, 'carol@example.com')).access_token;
    await verifier.syncRevocations();
    await expect(verifier.verify(token)).resolves.toBeDefined();
    const response = await fetch(`${base}/auth/logout`, { method: 'POST', headers: bearer(token) });
    expect(response.status).toBe(204);
    await verifier.syncRevocations();
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'session_revoked' });
    expect(verifier.health().revocations).toMatchObject({ healthy: true, lastError: undefined });
  });
});
