/**
 * createVerifier({ keys }) is a configured set: it refuses what it cannot use, duplicate kids and
 * secrets beside public keys. A JWKS URL is a published set: it skips what it cannot use, says so,
 * and still refuses duplicate kids among the usable keys.
 * @see issue #10 (2. Key import refuses weak and ambiguous keys)
 */
import { describe, expect, it } from 'vitest';
import { exportPublicJwk, type Jwk } from '../../../src/keys/jwk.js';
import { buildJwks } from '../../../src/keys/jwks.js';
import type { SkippedJwk } from '../../../src/keys/import-published-jwks.js';
import { createVerifier } from '../../../src/verify/create-verifier.js';
import { expectKeyError } from '../../helpers/token-kit.js';
import { AUDIENCE, fakeJwksEndpoint, ISSUER, JWKS_URL, mint, newKey, testClock } from './verify-kit.js';

const clock = testClock();
const es = newKey('ES256', 'es');
const secret = { kty: 'oct', kid: 'hs', alg: 'HS256', k: Buffer.alloc(32, 9).toString('base64url') };
const base = { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256', 'HS256'] as const, clock };

describe('createVerifier({ keys }): a configured set', () => {
  const malformedSecret = { ...secret, kid: 'hs-2', k: `${secret.k.slice(0, -1)}d` }; // unused bits set

  it.each<[string, () => unknown, RegExp]>([
    [
      'a JWK Set with a malformed member (named)',
      () => ({ keys: [secret, malformedSecret] }),
      /keys\[1\] \(kid "hs-2"\) was refused: .*strict base64url/,
    ],
    [
      'a list with a malformed member (named)',
      () => [secret, malformedSecret],
      /keys\[1\] \(kid "hs-2"\) was refused: .*strict base64url/,
    ],
    [
      'a JWK Set with a duplicate kid behind a malformed member',
      () => ({ keys: [secret, malformedSecret, { ...secret }] }),
      /keys\[1\] \(kid "hs-2"\)/,
    ],
    [
      'a JWK Set with a duplicate kid',
      () => ({ keys: [secret, { ...secret }] }),
      /repeats the kid of keys\[0\]/,
    ],
    ['a list with a duplicate kid', () => [secret, { ...secret }], /repeats the kid of keys\[0\]/],
    ['a JWK Set mixing a secret and a public key', () => buildJwksWith(secret), /mixes a secret key/],
    ['a list mixing a secret and a public key', () => [exportPublicJwk(es), secret], /mixes a secret key/],
  ])('refuses %s', (_name, keys, message) => {
    const error = expectKeyError(() => createVerifier({ ...base, keys: keys() as Jwk[] }));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(secret.k);
  });

  it('a JWK Set of public keys alone verifies', async () => {
    const verifier = createVerifier({ ...base, keys: buildJwks([es]) });
    await expect(verifier.verify(mint(es, clock.now()))).resolves.toMatchObject({ sub: 'user-1' });
  });
});

function buildJwksWith(extra: Record<string, unknown>) {
  const jwks = buildJwks([es]);
  return { keys: [...jwks.keys, extra] };
}

describe('createVerifier({ jwksUri }): a published set', () => {
  function remoteVerifier(keys: unknown[]) {
    const endpoint = fakeJwksEndpoint([]);
    endpoint.override = () => new Response(JSON.stringify({ keys }), { status: 200 });
    const skipped: SkippedJwk[] = [];
    const verifier = createVerifier({
      ...base,
      algorithms: ['ES256'],
      jwksUri: JWKS_URL,
      fetch: endpoint.fetch,
      jwks: { onKeySkipped: (skip) => skipped.push(skip) },
    });
    return { verifier, skipped };
  }

  it('skips members it cannot use, reports which and why, and verifies with the rest', async () => {
    const enc = { ...exportPublicJwk(newKey('RS256', 'enc')), use: 'enc' };
    const { verifier, skipped } = remoteVerifier([enc, secret, exportPublicJwk(es)]);
    await expect(verifier.verify(mint(es, clock.now()))).resolves.toMatchObject({ sub: 'user-1' });
    expect(skipped).toEqual([
      { member: 'keys[0] (kid "enc")', reason: 'has a "use" other than "sig"' },
      { member: 'keys[1] (kid "hs")', reason: 'is a secret key, which a published set cannot hold' },
    ]);
  });

  it('refuses a set with duplicate kids among the usable keys (the verifier never loads)', async () => {
    const twin = newKey('ES256', 'es');
    const { verifier } = remoteVerifier([exportPublicJwk(es), exportPublicJwk(twin)]);
    const error = await verifier.verify(mint(es, clock.now())).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'service_unavailable' });
    expect(verifier.health().jwks?.lastError).toBe(
      'The JWKS was refused. The JWK Set\'s keys[1] (kid "es") repeats the kid of keys[0] (kid "es").',
    );
  });

  it('by default reports a skipped member as a process warning', async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    try {
      const endpoint = fakeJwksEndpoint([]);
      endpoint.override = () =>
        new Response(JSON.stringify({ keys: [secret, exportPublicJwk(es)] }), { status: 200 });
      const verifier = createVerifier({
        ...base,
        algorithms: ['ES256'],
        jwksUri: JWKS_URL,
        fetch: endpoint.fetch,
      });
      await verifier.verify(mint(es, clock.now()));
      const deadline = Date.now() + 5000; // warnings are emitted on the next tick
      while (warnings.length === 0 && Date.now() < deadline)
        await new Promise((resolve) => setImmediate(resolve));
      expect(warnings[0]?.message).toBe(
        `The JWKS at ${JWKS_URL}: keys[0] (kid "hs") is a secret key, which a published set cannot hold; skipped.`,
      );
      expect((warnings[0] as Error & { code?: string }).code).toBe('TESSERA_JWKS_KEY_SKIPPED');
    } finally {
      process.off('warning', listen);
    }
  });
});
