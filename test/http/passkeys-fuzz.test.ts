import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoftwareAuthenticator } from '../helpers/software-authenticator.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import { bearer, registerUser } from './http-kit.js';
import { addPasskey, PASSKEY_CONFIG, registrationOptions, RP_ORIGIN, signInOptions } from './passkey-kit.js';

let app: FastifyInstance;
let deps: TestDeps;
let token = '';
let userId = '';
let genuineRegistration: Record<string, unknown>;
let genuineAssertion: Record<string, unknown>;

type Json = Record<string, unknown>;
const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** Members a browser may leave out: removing them leaves a valid response. */
const OPTIONAL = new Set(['authenticatorAttachment', 'transports', 'userHandle']);

/** Variants of a valid response: every member removed, retyped, oversized, or its content malformed. */
function mutations(valid: Json): Array<[string, unknown]> {
  const response = valid.response as Json;
  const out: Array<[string, unknown]> = [
    ['null', null],
    ['a string', 'response'],
    ['an array', [valid]],
    ['an extra member', { ...valid, extra: 1 }],
    ['type not public-key', { ...valid, type: 'password' }],
    ['an unknown extension output', { ...valid, clientExtensionResults: { prf: { enabled: true } } }],
    ['response an extra member', { ...valid, response: { ...response, extra: 'x' } }],
  ];
  for (const key of Object.keys(valid)) {
    const { [key]: _dropped, ...rest } = valid;
    if (!OPTIONAL.has(key)) out.push([`without ${key}`, rest]);
    out.push([`${key} a number`, { ...valid, [key]: 42 }]);
  }
  for (const key of Object.keys(response)) {
    const { [key]: _dropped, ...rest } = response;
    if (!OPTIONAL.has(key)) out.push([`response without ${key}`, { ...valid, response: rest }]);
    out.push(
      [`response.${key} not base64url`, { ...valid, response: { ...response, [key]: 'a+b/c==' } }],
      [`response.${key} huge`, { ...valid, response: { ...response, [key]: 'A'.repeat(20_000) } }],
    );
  }
  out.push(
    ['clientDataJSON not JSON', { ...valid, response: { ...response, clientDataJSON: b64('{not json') } }],
    ['clientDataJSON an array', { ...valid, response: { ...response, clientDataJSON: b64('[1,2]') } }],
    [
      'clientDataJSON without origin',
      {
        ...valid,
        response: { ...response, clientDataJSON: b64('{"type":"webauthn.get","challenge":"abc"}') },
      },
    ],
    [
      'clientDataJSON not UTF-8',
      {
        ...valid,
        response: { ...response, clientDataJSON: Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url') },
      },
    ],
  );
  return out;
}

beforeAll(async () => {
  ({ app, deps } = await createTestApp({ config: PASSKEY_CONFIG }));
  const registered = await registerUser(app);
  token = registered.access_token;
  userId = registered.user.id;
  const authenticator = new SoftwareAuthenticator({ origin: RP_ORIGIN });
  await addPasskey(app, token, authenticator);
  genuineRegistration = new SoftwareAuthenticator({ origin: RP_ORIGIN }).register(
    await registrationOptions(app, token),
  ) as unknown as Json;
  genuineAssertion = authenticator.assert(await signInOptions(app)) as unknown as Json;
});

afterAll(async () => {
  await app.close();
});

/** Malformed WebAuthn JSON is a 400 with a code, never a 500, and changes nothing stored. */
describe('malformed passkey responses', () => {
  it('registration: every mutation answers 400 invalid_request or passkey_response_invalid', async () => {
    const before = await deps.stores.passkeys.listForUser(userId);
    for (const [name, response] of mutations(genuineRegistration)) {
      const reply = await app.inject({
        method: 'POST',
        url: '/auth/passkeys',
        headers: bearer(token),
        payload: { response },
      });
      expect(reply.statusCode, `${name}: ${reply.body}`).toBeGreaterThanOrEqual(400);
      expect(reply.statusCode, name).toBeLessThan(500);
      expect(['invalid_request', 'passkey_response_invalid', 'payload_too_large'], name).toContain(
        reply.json<{ code: string }>().code,
      );
    }
    expect(await deps.stores.passkeys.listForUser(userId)).toEqual(before);
  });

  it('sign-in: every mutation answers 4xx with a code and opens no session', async () => {
    const before = await deps.stores.passkeys.listForUser(userId);
    const sessionsBefore = await deps.stores.sessions.listActiveForUser(userId, deps.clock.now());
    for (const [name, response] of mutations(genuineAssertion)) {
      const reply = await app.inject({
        method: 'POST',
        url: '/auth/passkeys/sign-in',
        payload: { response },
      });
      expect(reply.statusCode, `${name}: ${reply.body}`).toBeGreaterThanOrEqual(400);
      expect(reply.statusCode, name).toBeLessThan(500);
      expect(['invalid_request', 'passkey_response_invalid', 'payload_too_large'], name).toContain(
        reply.json<{ code: string }>().code,
      );
    }
    expect(await deps.stores.passkeys.listForUser(userId)).toEqual(before);
    expect(await deps.stores.sessions.listActiveForUser(userId, deps.clock.now())).toEqual(sessionsBefore);
    // The genuine assertion still works: no malformed request spent its challenge.
    const genuine = await app.inject({
      method: 'POST',
      url: '/auth/passkeys/sign-in',
      payload: { response: genuineAssertion },
    });
    expect(genuine.statusCode, genuine.body).toBe(200);
  });
});
