import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJwks } from '../../../src/keys/jwks.js';
import {
  ACR_MULTI_FACTOR,
  ACR_SINGLE_FACTOR,
  authenticateRequest,
  createVerifier,
  expressRequireToken,
  fastifyRequireToken,
  StepUpRequiredError,
  tokenClaimsOf,
} from '../../../src/verify/index.js';
import { AUDIENCE, ISSUER, mint, newKey, rejection, testClock } from './verify-kit.js';

const clock = testClock();
const key = newKey('ES256', 'k1');
const verifier = createVerifier({
  keys: buildJwks([key]),
  issuer: ISSUER,
  audience: AUDIENCE,
  algorithms: ['ES256'],
  clock,
  clockToleranceSeconds: 30,
});
const now = clock.now();
const nowS = Math.floor(now.getTime() / 1000);
const STEP_UP = { acr: ACR_MULTI_FACTOR, maxAgeSeconds: 300 } as const;

const tokens = {
  strongFresh: mint(key, now, { acr: ACR_MULTI_FACTOR, auth_time: nowS - 60 }),
  strongOld: mint(key, now, { acr: ACR_MULTI_FACTOR, auth_time: nowS - 3600 }),
  weakFresh: mint(key, now, { acr: ACR_SINGLE_FACTOR, auth_time: nowS - 60 }),
  bare: mint(key, now),
  strongFreshNoAdmin: mint(key, now, { acr: ACR_MULTI_FACTOR, auth_time: nowS, roles: ['user'] }),
  weakAdmin: mint(key, now, { acr: ACR_SINGLE_FACTOR, auth_time: nowS, roles: ['admin'] }),
};

const CHALLENGE_START = 'Bearer realm="api", error="insufficient_user_authentication", error_description="';
const FULL_PARAMS = `acr_values="${ACR_MULTI_FACTOR}", max_age="300"`;

describe('the verifier with a requirement', () => {
  it('returns the claims when the sign-in meets it', async () => {
    const claims = await verifier.verify(tokens.strongFresh, STEP_UP);
    expect(claims).toMatchObject({ sub: 'user-1', acr: ACR_MULTI_FACTOR });
  });

  it.each([
    ['a single-factor token', tokens.weakFresh],
    ['a two-factor sign-in an hour old', tokens.strongOld],
    ['a token without acr or auth_time', tokens.bare],
  ])('throws StepUpRequiredError for %s, with the whole requirement as challenge', async (_name, token) => {
    const error = await rejection(verifier.verify(token, STEP_UP));
    expect(error).toBeInstanceOf(StepUpRequiredError);
    expect((error as StepUpRequiredError).challenge).toEqual({
      acrValues: [ACR_MULTI_FACTOR],
      maxAgeSeconds: 300,
    });
  });

  it('still refuses a bad token as such, before any requirement', async () => {
    const forged = mint(newKey('ES256', 'k1'), now, { acr: ACR_MULTI_FACTOR, auth_time: nowS });
    expect((await rejection(verifier.verify(forged, STEP_UP))).code).toBe('token_signature_invalid');
  });

  it('refuses a requirement naming an unknown level as a programming error', async () => {
    await expect(verifier.verify(tokens.strongFresh, { acr: 'gold' as never })).rejects.toThrow(TypeError);
    expect(() => fastifyRequireToken(verifier, { maxAgeSeconds: -5 })).toThrow(TypeError);
    expect(() => expressRequireToken(verifier, { acr: 'urn:tessera:acr:3fa' as never })).toThrow(TypeError);
  });

  it('lets the clock decide freshness: the same token goes stale as time passes', async () => {
    const movingClock = testClock();
    const moving = createVerifier({
      keys: buildJwks([key]),
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      clock: movingClock,
      cacheMaxEntries: 0,
    });
    await expect(moving.verify(tokens.strongFresh, STEP_UP)).resolves.toBeDefined();
    movingClock.advanceSeconds(240 + 30 + 1); // auth_time was 60 s ago: now 331 s, past 300 + 30 tolerance
    const error = await rejection(moving.verify(tokens.strongFresh, STEP_UP));
    expect(error.code).toBe('insufficient_user_authentication');
  });
});

describe('authenticateRequest with acr and maxAgeSeconds', () => {
  it('answers 401 insufficient_user_authentication with acr_values and max_age', async () => {
    const outcome = await authenticateRequest(verifier, `Bearer ${tokens.weakFresh}`, STEP_UP);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.answer.status).toBe(401);
    expect(outcome.answer.body).toMatchObject({
      code: 'insufficient_user_authentication',
      status: 401,
      type: '/problems/insufficient_user_authentication',
    });
    expect(outcome.answer.headers['www-authenticate']).toMatch(
      new RegExp(`^${escape(CHALLENGE_START)}[^"]+", ${escape(FULL_PARAMS)}$`),
    );
  });

  it('checks roles first: a new sign-in would not grant a missing role', async () => {
    const outcome = await authenticateRequest(verifier, `Bearer ${tokens.weakAdmin}`, {
      ...STEP_UP,
      roles: ['auditor'],
    });
    expect(!outcome.ok && outcome.answer.body.code).toBe('insufficient_scope');
    const passes = await authenticateRequest(verifier, `Bearer ${tokens.strongFreshNoAdmin}`, {
      ...STEP_UP,
      roles: ['user'],
    });
    expect(passes.ok).toBe(true);
  });

  it('without a requirement, a bare token passes as before', async () => {
    expect((await authenticateRequest(verifier, `Bearer ${tokens.bare}`, {})).ok).toBe(true);
  });
});

describe('the middlewares with a step-up requirement', () => {
  let app: FastifyInstance;
  let server: Server;
  let base: string;
  beforeAll(async () => {
    app = Fastify();
    app.get('/transfer', { preHandler: fastifyRequireToken(verifier, STEP_UP) }, async (request) => ({
      acr: tokenClaimsOf(request).acr,
    }));
    app.get('/recent', { preHandler: fastifyRequireToken(verifier, { maxAgeSeconds: 600 }) }, async () => ({
      ok: true,
    }));
    await app.ready();
    const expressApp = express();
    expressApp.get('/transfer', expressRequireToken(verifier, STEP_UP), (_req, res) => {
      res.json({ ok: true });
    });
    server = await new Promise<Server>((resolve) => {
      const listening = expressApp.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('Fastify: passes a fresh two-factor token, challenges the others', async () => {
    const call = (url: string, token: string) =>
      app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const ok = await call('/transfer', tokens.strongFresh);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ acr: ACR_MULTI_FACTOR });
    for (const token of [tokens.weakFresh, tokens.strongOld, tokens.bare]) {
      const refused = await call('/transfer', token);
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ code: 'insufficient_user_authentication' });
      expect(refused.headers['www-authenticate']).toContain(FULL_PARAMS);
    }
    // Freshness alone: no acr_values in the challenge.
    const stale = await call('/recent', tokens.strongOld);
    expect(stale.statusCode).toBe(401);
    expect(stale.headers['www-authenticate']).toMatch(
      /error="insufficient_user_authentication".*max_age="600"$/,
    );
    expect(stale.headers['www-authenticate']).not.toContain('acr_values');
    expect((await call('/recent', tokens.weakFresh)).statusCode).toBe(200);
  });

  it('Express: the same answers', async () => {
    const call = (token: string) =>
      fetch(`${base}/transfer`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call(tokens.strongFresh)).status).toBe(200);
    const refused = await call(tokens.strongOld);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain(FULL_PARAMS);
    expect(await refused.json()).toMatchObject({ code: 'insufficient_user_authentication', status: 401 });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
