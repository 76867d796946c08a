import { describe, expect, it } from 'vitest';
import {
  isTesseraError,
  stepUpChallengeOf,
  type StepUpChallenge,
  type TesseraError,
} from '../../../src/client/index.js';
import { parseChallenges } from '../../../src/client/step-up.js';
import { CREDENTIALS, createHarness } from './client-kit.js';

const SENSITIVE = 'http://tessera.test/api/sensitive';
const TWO_FA = 'urn:tessera:acr:2fa';

const challenge = (header: string | null, status = 401) =>
  stepUpChallengeOf(
    new Response(null, { status, headers: header === null ? {} : { 'www-authenticate': header } }),
  );

describe('reading the RFC 9470 challenge', () => {
  const cases: [string, string, StepUpChallenge][] = [
    [
      'Tessera’s own challenge',
      `Bearer realm="tessera", error="insufficient_user_authentication", error_description="x", acr_values="${TWO_FA}", max_age="600"`,
      { acrValues: [TWO_FA], maxAgeSeconds: 600 },
    ],
    [
      'the RFC 9470 §3 example (acr_values only)',
      'Bearer error="insufficient_user_authentication", error_description="A different authentication level is required", acr_values="myACR"',
      { acrValues: ['myACR'], maxAgeSeconds: null },
    ],
    [
      'max_age as a token, several acr values',
      'Bearer error=insufficient_user_authentication, max_age=5, acr_values="a  b c"',
      { acrValues: ['a', 'b', 'c'], maxAgeSeconds: 5 },
    ],
    [
      'commas, escapes and a look-alike parameter inside quoted strings',
      'Bearer realm="a, b", error_description="say \\"max_age=1\\", acr_values=x", error="insufficient_user_authentication", max_age="60"',
      { acrValues: [], maxAgeSeconds: 60 },
    ],
    [
      'after another challenge with a token68, mixed case',
      'Basic abc==, DPoP algs="ES256", BEARER Error="insufficient_user_authentication", ACR_VALUES="x"',
      { acrValues: ['x'], maxAgeSeconds: null },
    ],
    [
      'a max_age that is not a whole number of seconds is ignored',
      'Bearer error="insufficient_user_authentication", max_age="-5"',
      { acrValues: [], maxAgeSeconds: null },
    ],
  ];
  it.each(cases)('reads %s', (_name, header, expected) => {
    expect(challenge(header)).toEqual(expected);
  });

  const notStepUp: [string, string | null, number][] = [
    ['no header', null, 401],
    ['invalid_token', 'Bearer realm="tessera", error="invalid_token", error_description="x"', 401],
    [
      'the error named in a description only',
      'Bearer error_description="insufficient_user_authentication"',
      401,
    ],
    ['another scheme’s error', 'DPoP error="insufficient_user_authentication"', 401],
    ['a 403', 'Bearer error="insufficient_user_authentication"', 403],
    ['an unterminated quote', 'Bearer error="insufficient_user_authentication', 401],
    ['garbage', '=,,"" ,= =', 401],
  ];
  it.each(notStepUp)('is not fooled by %s', (_name, header, status) => {
    expect(challenge(header, status)).toBeNull();
  });

  it('splits several challenges into schemes and parameters', () => {
    expect(
      parseChallenges('Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"'),
    ).toEqual([
      { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'basic', params: { realm: 'simple' } },
    ]);
  });
});

describe('the SDK and a step-up challenge', () => {
  it('without a hook: client.fetch hands back the 401 and SDK errors carry the challenge', async () => {
    const { client, server } = createHarness();
    await client.login(CREDENTIALS);
    const response = await client.fetch(SENSITIVE);
    expect(response.status).toBe(401);
    expect(stepUpChallengeOf(response)).toEqual({ acrValues: [TWO_FA], maxAgeSeconds: 300 });
    // A refresh cannot cure it (the sign-in stays what it was): none was attempted.
    expect(server.count('/auth/refresh')).toBe(0);
    expect(client.getState().status).toBe('signed-in');

    server.failNext('/auth/me', { status: 401, code: 'insufficient_user_authentication' });
    const error = await client.me().catch((e: unknown) => e);
    expect(isTesseraError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'insufficient_user_authentication', status: 401 });
  });

  it('turns a challenge from an API with a header but no problem body into a typed error', async () => {
    const { client, server } = createHarness();
    await client.login(CREDENTIALS);
    server.stepUpChallenge = 'Bearer error="insufficient_user_authentication", max_age="30"';
    const { errorFromResponse } = await import('../../../src/client/http-problem.js');
    const bare = new Response('denied', {
      status: 401,
      headers: { 'www-authenticate': server.stepUpChallenge },
    });
    const error: TesseraError = await errorFromResponse(bare, 0);
    expect(error).toMatchObject({
      code: 'insufficient_user_authentication',
      acrValues: [],
      maxAgeSeconds: 30,
      status: 401,
    });
    const other = await errorFromResponse(new Response(null, { status: 500 }), 0);
    expect(other).toMatchObject({ acrValues: null, maxAgeSeconds: null });
  });

  it('runs the hook, which signs in afresh, then retries once with the new credential and the same body', async () => {
    const challenges: StepUpChallenge[] = [];
    const harness = createHarness({
      onStepUpRequired: async (asked) => {
        challenges.push(asked);
        harness.server.strongSignIns = true;
        await harness.client.login(CREDENTIALS);
        return true;
      },
    });
    const { client, server } = harness;
    await client.login(CREDENTIALS);
    const weakToken = client.getAccessToken();
    const response = await client.fetch(SENSITIVE, { method: 'POST', body: 'transfer 12' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ body: 'transfer 12' });
    expect(challenges).toEqual([{ acrValues: [TWO_FA], maxAgeSeconds: 300 }]);
    const sent = server.requests.filter((r) => r.path === '/api/sensitive');
    expect(sent).toHaveLength(2);
    expect(sent[0]!.headers.get('authorization')).toBe(`Bearer ${weakToken}`);
    expect(sent[1]!.headers.get('authorization')).toBe(`Bearer ${client.getAccessToken()}`);
    expect(client.getAccessToken()).not.toBe(weakToken);
  });

  it('retries once only: a second challenge comes back to the caller', async () => {
    let calls = 0;
    const harness = createHarness({
      onStepUpRequired: async () => {
        calls += 1;
        await harness.client.login(CREDENTIALS); // still a weak sign-in
        return true;
      },
    });
    await harness.client.login(CREDENTIALS);
    const response = await harness.client.fetch(SENSITIVE);
    expect(response.status).toBe(401);
    expect(calls).toBe(1);
    expect(harness.server.count('/api/sensitive')).toBe(2);
  });

  it.each([
    ['resolves false', async () => false],
    ['rejects', async () => Promise.reject(new Error('user cancelled'))],
  ])('hands the 401 back when the hook %s', async (_name, hook) => {
    const harness = createHarness({ onStepUpRequired: hook });
    await harness.client.login(CREDENTIALS);
    expect((await harness.client.fetch(SENSITIVE)).status).toBe(401);
    expect(harness.server.count('/api/sensitive')).toBe(1);
    expect(harness.client.getState().status).toBe('signed-in');
  });

  it('hands the 401 back when the hook resolves true but left the user signed out', async () => {
    const harness = createHarness({
      onStepUpRequired: async () => {
        await harness.client.logout();
        return true;
      },
    });
    await harness.client.login(CREDENTIALS);
    expect((await harness.client.fetch(SENSITIVE)).status).toBe(401);
    expect(harness.server.count('/api/sensitive')).toBe(1);
  });

  it('shares one step-up between concurrent challenges', async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const harness = createHarness({
      onStepUpRequired: async () => {
        calls += 1;
        await held;
        harness.server.strongSignIns = true;
        await harness.client.login(CREDENTIALS);
        return true;
      },
    });
    await harness.client.login(CREDENTIALS);
    const both = Promise.all([harness.client.fetch(SENSITIVE), harness.client.fetch(SENSITIVE)]);
    await expect.poll(() => harness.server.count('/api/sensitive')).toBe(2);
    release();
    const statuses = (await both).map((r) => r.status);
    expect(statuses).toEqual([200, 200]);
    expect(calls).toBe(1);
    expect(harness.server.count('/auth/login')).toBe(2);
  });

  it('in the cookie strategy, a challenge does not trigger a refresh and the hook still runs', async () => {
    let calls = 0;
    const harness = createHarness({
      storage: 'cookie',
      onStepUpRequired: async () => {
        calls += 1;
        harness.server.strongSignIns = true;
        await harness.client.login(CREDENTIALS);
        return true;
      },
    });
    await harness.client.login(CREDENTIALS);
    const response = await harness.client.fetch(SENSITIVE);
    expect(response.status).toBe(200);
    expect(calls).toBe(1);
    expect(harness.server.count('/auth/refresh')).toBe(0);
  });

  it('does not call the hook for requests sent without the credential (untrusted origin, signed out)', async () => {
    let calls = 0;
    const harness = createHarness();
    const challenged = async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.origin === 'http://elsewhere.test' || url.pathname === '/api/always-challenged')
        return new Response(null, {
          status: 401,
          headers: { 'www-authenticate': harness.server.stepUpChallenge },
        });
      return harness.server.fetch(input, init);
    };
    const client = harness.open({
      fetch: challenged as typeof fetch,
      onStepUpRequired: async () => ((calls += 1), true),
    });
    // Signed out: the request carried no credential, so there is no sign-in to step up.
    expect((await client.fetch('http://tessera.test/api/always-challenged')).status).toBe(401);
    await client.login(CREDENTIALS);
    // Another origin never receives the credential: its challenge is not about our user.
    const elsewhere = await client.fetch('http://elsewhere.test/api');
    expect(elsewhere.status).toBe(401);
    expect(calls).toBe(0);
    // The same client, on a trusted target, does ask.
    expect((await client.fetch('http://tessera.test/api/always-challenged')).status).toBe(401);
    expect(calls).toBe(1);
  });

  it('refuses a hook that is not a function', () => {
    expect(() => createHarness({ onStepUpRequired: 'yes' as never })).toThrow(TypeError);
  });
});
