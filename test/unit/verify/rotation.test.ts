import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { AccessTokenClaims } from '../../../src/flows/sessions/access-tokens.js';
import { reloadKeys } from '../../../src/flows/keys/reload-keys.js';
import {
  KEY_RELOAD_INTERVAL_SECONDS,
  rotateSigningKeys,
  type RotationStep,
} from '../../../src/flows/keys/rotate-keys.js';
import type { SessionRecord, UserRecord } from '../../../src/stores/types.js';
import { createVerifier, type Verifier } from '../../../src/verify/create-verifier.js';
import { createTestApp, type TestDeps } from '../../helpers/test-deps.js';
import { bearer, registerUser } from '../../http/http-kit.js';
import { fetchFromApp } from './tessera-fetch.js';

const STEP_SECONDS = 10;

describe('key rotation while requests flow', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let verifier: Verifier;
  let feed: ReturnType<typeof fetchFromApp>;

  beforeEach(async () => {
    ({ app, deps } = await createTestApp());
    feed = fetchFromApp(app);
    verifier = createVerifier({
      jwksUri: `${deps.config.issuer}/.well-known/jwks.json`,
      issuer: deps.config.issuer,
      audience: deps.config.audience,
      algorithms: [deps.config.algorithm],
      clock: deps.clock,
      fetch: feed.fetch,
    });
  });
  afterEach(async () => {
    verifier.close();
    await app.close();
  });

  it('publish → promote → retire → remove: zero failed verifications, in the server and in the verifier', async () => {
    const registered = await registerUser(app);
    const user = (await deps.stores.users.findById(registered.user.id)) as UserRecord;
    const [session] = (await deps.stores.sessions.listActiveForUser(
      user.id,
      deps.clock.now(),
    )) as SessionRecord[];
    const firstKid = deps.keys.signingKey.kid;

    const steps: RotationStep['action'][] = [];
    const failures: string[] = [];
    const live: { token: string; claims: AccessTokenClaims }[] = [];
    const kidsSigned = new Set<string>();
    let verifications = 0;

    // The first step by hand (as `tessera keys rotate` does); the server's timer takes the rest.
    steps.push((await rotateSigningKeys(deps, deps.clock.now())).action);
    await reloadKeys(deps);

    for (let elapsed = 0; !steps.includes('removed'); elapsed += STEP_SECONDS) {
      expect(elapsed, 'the rotation should complete').toBeLessThan(4 * 3600);
      deps.clock.advanceSeconds(STEP_SECONDS);
      if (elapsed % KEY_RELOAD_INTERVAL_SECONDS === 0) {
        const step = await rotateSigningKeys(deps, deps.clock.now(), { scheduled: true });
        if (step.action !== 'none') steps.push(step.action);
        await reloadKeys(deps);
      }
      const issued = deps.accessTokens.issue(user, session!, deps.clock.now());
      kidsSigned.add(JSON.parse(Buffer.from(issued.token.split('.')[0]!, 'base64url').toString()).kid);
      live.push({ token: issued.token, claims: issued.claims });
      const now = Math.floor(deps.clock.now().getTime() / 1000);
      while (live.length > 0 && live[0]!.claims.exp <= now) live.shift();
      // Every token still alive, old key or new, must pass both verifiers.
      for (const { token } of live) {
        verifications++;
        const response = await app.inject({ method: 'GET', url: '/api/secure', headers: bearer(token) });
        if (response.statusCode !== 200)
          failures.push(`server ${elapsed}s: ${response.statusCode} ${response.body}`);
        await verifier
          .verify(token)
          .catch((error: Error) => failures.push(`verifier ${elapsed}s: ${error.message}`));
      }
    }

    expect(failures).toEqual([]);
    expect(steps).toEqual(['published', 'promoted', 'removed']);
    expect(kidsSigned.size).toBe(2);
    expect(deps.keys.has(firstKid)).toBe(false);
    expect(verifications).toBeGreaterThan(1000);
    // Cache-Control (300 s) drove the refetches; no kid miss ever needed one.
    expect(feed.calls.length).toBeLessThan(verifications / 100);
  });
});
