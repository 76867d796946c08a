import { describe, expect, it } from 'vitest';
import { buildJwks } from '../../../src/keys/jwks.js';
import { authenticateRequest } from '../../../src/verify/authenticate-request.js';
import { createVerifier } from '../../../src/verify/create-verifier.js';
import { AUDIENCE, ISSUER, mint, newKey, testClock } from './verify-kit.js';

const clock = testClock();
const key = newKey('ES256', 'k1');
const verifier = createVerifier({
  keys: buildJwks([key]),
  issuer: ISSUER,
  audience: AUDIENCE,
  algorithms: ['ES256'],
  clock,
});
const token = mint(key, clock.now());

describe('authenticateRequest', () => {
  it('takes the Authorization value alone, as before, or the request parts', async () => {
    expect(await authenticateRequest(verifier, `Bearer ${token}`, {})).toMatchObject({ ok: true });
    expect(
      await authenticateRequest(verifier, { authorization: [`Bearer ${token}`], url: '/x?page=2' }, {}),
    ).toMatchObject({ ok: true });
  });

  it.each([
    ['an access_token in the URL', { authorization: `Bearer ${token}`, url: `/x?access_token=${token}` }],
    ['two Authorization values', { authorization: [`Bearer ${token}`, `Bearer ${token}`] }],
  ])('refuses %s with 400 invalid_request and a challenge', async (_name, request) => {
    const outcome = await authenticateRequest(verifier, request, { realm: 'orders' });
    expect(outcome).toMatchObject({
      ok: false,
      answer: { status: 400, body: { code: 'invalid_request' } },
    });
    if (outcome.ok) return;
    expect(outcome.answer.headers['www-authenticate']).toMatch(
      /^Bearer realm="orders", error="invalid_request", /,
    );
  });

  it('answers a Basic header as no credentials: 401 with a bare challenge', async () => {
    const outcome = await authenticateRequest(
      verifier,
      { authorization: 'Basic dXNlcjpwYXNz', url: '/x' },
      {},
    );
    expect(outcome).toMatchObject({
      ok: false,
      answer: {
        status: 401,
        headers: { 'www-authenticate': 'Bearer realm="api"' },
        body: { code: 'unauthenticated' },
      },
    });
  });
});
