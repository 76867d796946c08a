import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../../../src/verify/create-verifier.js';
import {
  AUDIENCE,
  fakeJwksEndpoint,
  ISSUER,
  JWKS_URL,
  mint,
  newKey,
  rejection,
  testClock,
} from './verify-kit.js';

function setup(cacheControl: string | null = 'public, max-age=300', jwks = {}) {
  const clock = testClock();
  const key = newKey('ES256', 'k1');
  const endpoint = fakeJwksEndpoint([key], cacheControl);
  const verifier = createVerifier({
    jwksUri: JWKS_URL,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['ES256'],
    clock,
    fetch: endpoint.fetch,
    jwks,
  });
  return { clock, key, endpoint, verifier };
}

describe('remote JWKS', () => {
  it('loads once and honours Cache-Control max-age before fetching again', async () => {
    const { clock, key, endpoint, verifier } = setup('public, max-age=120');
    await verifier.verify(mint(key, clock.now()));
    expect(endpoint.calls).toBe(1);
    clock.advanceSeconds(119);
    await verifier.verify(mint(key, clock.now()));
    expect(endpoint.calls).toBe(1);
    clock.advanceSeconds(1);
    await verifier.verify(mint(key, clock.now()));
    expect(endpoint.calls).toBe(2);
  });

  it.each([
    ['max-age below the floor', 'max-age=1', 30],
    ['no-store', 'no-store', 30],
    ['max-age above the ceiling', 'max-age=999999', 3600],
    ['no Cache-Control at all', null, 300],
  ])('clamps the cache lifetime: %s', async (_name, header, expectedSeconds) => {
    const { clock, key, endpoint, verifier } = setup(header, { maxCacheSeconds: 3600 });
    await verifier.verify(mint(key, clock.now()));
    clock.advanceSeconds(expectedSeconds - 1);
    await verifier.verify(mint(key, clock.now()));
    expect(endpoint.calls).toBe(1);
    clock.advanceSeconds(1);
    await verifier.verify(mint(key, clock.now()));
    expect(endpoint.calls).toBe(2);
  });

  it('refetches once on an unknown kid and then verifies tokens of the new key', async () => {
    const { clock, key, endpoint, verifier } = setup();
    await verifier.verify(mint(key, clock.now()));
    const next = newKey('ES256', 'k2');
    endpoint.keys = [key, next];
    clock.advanceSeconds(31); // past the cooldown that the first load started
    await expect(verifier.verify(mint(next, clock.now()))).resolves.toMatchObject({ sub: 'user-1' });
    expect(endpoint.calls).toBe(2);
  });

  it('a flood of 1,000 random kids costs exactly one fetch per cooldown', async () => {
    const { clock, key, endpoint, verifier } = setup();
    await verifier.verify(mint(key, clock.now()));
    expect(endpoint.calls).toBe(1);
    const flood = () =>
      Array.from({ length: 1000 }, () =>
        rejection(verifier.verify(mint(newKeyWithKid(key, randomBytes(8).toString('hex')), clock.now()))),
      );
    clock.advanceSeconds(31);
    const concurrent = await Promise.all(flood());
    expect(new Set(concurrent.map((error) => error.code))).toEqual(new Set(['key_not_found']));
    expect(endpoint.calls).toBe(2);
    clock.advanceSeconds(29); // still inside the cooldown of that fetch
    for (const attempt of flood()) expect((await attempt).code).toBe('key_not_found');
    expect(endpoint.calls).toBe(2);
    clock.advanceSeconds(1);
    await Promise.all(flood());
    expect(endpoint.calls).toBe(3);
  });

  it('keeps serving the last good key set while the endpoint is down, and says so in health()', async () => {
    const { clock, key, endpoint, verifier } = setup('max-age=60');
    await verifier.verify(mint(key, clock.now()));
    endpoint.override = () => {
      throw new TypeError('connect ECONNREFUSED');
    };
    clock.advanceSeconds(61);
    // Served from the stale set at once; the refresh runs in the background.
    await expect(verifier.verify(mint(key, clock.now()))).resolves.toMatchObject({ sub: 'user-1' });
    await verifier.keysSettled();
    expect(endpoint.calls).toBe(2);
    expect(verifier.health().jwks).toMatchObject({
      loaded: true,
      lastError: expect.stringMatching(/reached/),
    });
    endpoint.override = () => new Response('oops', { status: 500 });
    clock.advanceSeconds(31);
    await expect(verifier.verify(mint(key, clock.now()))).resolves.toMatchObject({ sub: 'user-1' });
    await verifier.keysSettled();
    expect(verifier.health().jwks?.lastError).toMatch(/answered 500/);
    endpoint.override = undefined;
    clock.advanceSeconds(31);
    await verifier.verify(mint(key, clock.now()));
    await verifier.keysSettled();
    expect(verifier.health().jwks?.lastError).toBeUndefined();
    expect(endpoint.calls).toBe(4);
  });

  const BAD_ANSWERS: [string, () => Response, RegExp][] = [
    ['oversized (Content-Length)', () => new Response('x'.repeat(70_000), { status: 200 }), /larger than/],
    [
      'oversized (streamed, no Content-Length)',
      () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              controller.enqueue(new Uint8Array(16_384));
            },
          }),
          { status: 200 },
        ),
      /larger than/,
    ],
    ['not JSON', () => new Response('{"keys": [', { status: 200 }), /not valid JSON/],
    ['a JSON array', () => new Response('[]', { status: 200 }), /not a JSON object/],
    ['no keys member', () => new Response('{"nokeys": []}', { status: 200 }), /no "keys" array/],
    [
      'no usable key',
      () => new Response('{"keys": [{"kty": "EC", "alg": "ES256"}]}', { status: 200 }),
      /no usable/,
    ],
    ['invalid UTF-8', () => new Response(new Uint8Array([0x7b, 0xff, 0x7d]), { status: 200 }), /UTF-8/],
    ['a 404', () => new Response('nope', { status: 404 }), /answered 404/],
  ];

  it.each(BAD_ANSWERS)(
    'refuses a JWKS answer that is %s: 503 before any load, last keys after',
    async (_n, answer, why) => {
      const cold = setup();
      cold.endpoint.override = answer;
      const error = await rejection(cold.verifier.verify(mint(cold.key, cold.clock.now())));
      expect(error.code).toBe('service_unavailable');
      expect(cold.verifier.health().jwks?.lastError).toMatch(why);

      const warm = setup('max-age=30');
      await warm.verifier.verify(mint(warm.key, warm.clock.now()));
      warm.endpoint.override = answer;
      warm.clock.advanceSeconds(31);
      await expect(warm.verifier.verify(mint(warm.key, warm.clock.now()))).resolves.toMatchObject({
        sub: 'user-1',
      });
      await warm.verifier.keysSettled();
      expect(warm.verifier.health().jwks?.lastError).toMatch(why);
    },
  );

  it('never holds a request up on a stale set: a hanging endpoint is refreshed in the background', async () => {
    const { clock, key, endpoint, verifier } = setup('max-age=60');
    await verifier.verify(mint(key, clock.now()));
    let release: () => void = () => undefined;
    endpoint.override = () =>
      new Promise<Response>((resolve) => {
        release = () => resolve(new Response('late', { status: 503 }));
      });
    clock.advanceSeconds(61);
    // Resolves although the refetch it started has not answered.
    await expect(verifier.verify(mint(key, clock.now()))).resolves.toMatchObject({ sub: 'user-1' });
    expect(endpoint.calls).toBe(2);
    release();
    await verifier.keysSettled();
    expect(verifier.health().jwks?.lastError).toMatch(/answered 503/);
  });

  it('does not retry a dead endpoint on every request before the first load (cooldown applies)', async () => {
    const { clock, key, endpoint, verifier } = setup();
    endpoint.override = () => new Response('down', { status: 503 });
    for (let i = 0; i < 50; i++)
      expect((await rejection(verifier.verify(mint(key, clock.now())))).code).toBe('service_unavailable');
    expect(endpoint.calls).toBe(1);
    endpoint.override = undefined;
    clock.advanceSeconds(30);
    await expect(verifier.verify(mint(key, clock.now()))).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('refuses bad options as programmer errors', () => {
    const base = { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'] as const };
    expect(() => createVerifier({ ...base, jwksUri: 'not a url' })).toThrow(TypeError);
    expect(() => createVerifier({ ...base, jwksUri: 'file:///etc/passwd' })).toThrow(/http/);
    expect(() => createVerifier({ ...base, jwksUri: JWKS_URL, jwks: { cooldownSeconds: 0 } })).toThrow(
      /cooldown/,
    );
    expect(() =>
      createVerifier({ ...base, jwksUri: JWKS_URL, jwks: { minCacheSeconds: 100, maxCacheSeconds: 10 } }),
    ).toThrow(/maxCacheSeconds/);
  });
});

/** The same key material under another kid: a token the endpoint has never heard of. */
function newKeyWithKid(key: ReturnType<typeof newKey>, kid: string) {
  return { ...key, kid };
}
