import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR } from '../../src/wire/authentication-strength.js';
import { SoftwareAuthenticator } from '../helpers/software-authenticator.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import { bearer, expectProblem, registerUser } from './http-kit.js';
import {
  addPasskey,
  claimsOf,
  PASSKEY_CONFIG,
  postRegistration,
  postSignIn,
  registrationOptions,
  RP_ORIGIN,
  signInOptions,
} from './passkey-kit.js';

let app: FastifyInstance;
let deps: TestDeps;

beforeEach(async () => {
  ({ app, deps } = await createTestApp({ config: PASSKEY_CONFIG }));
});

afterEach(async () => {
  await app.close();
});

describe('passkey registration', () => {
  it('registers a discoverable passkey for the signed-in user, lists it and audits it', async () => {
    const { access_token: token, user } = await registerUser(app);
    const options = await registrationOptions(app, token);
    expect(options).toMatchObject({
      rp: { id: 'localhost', name: 'Tessera tests' },
      user: { name: 'alice@example.com' },
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      attestation: 'none',
    });
    expect(Buffer.from(options.challenge, 'base64url')).toHaveLength(32);
    const authenticator = new SoftwareAuthenticator({ origin: RP_ORIGIN });
    const created = await postRegistration(app, token, {
      name: 'Laptop',
      response: authenticator.register(options),
    });
    expect(created.statusCode, created.body).toBe(201);
    const { passkey } = created.json<{ passkey: Record<string, unknown> }>();
    expect(passkey).toMatchObject({
      name: 'Laptop',
      last_used_at: null,
      transports: ['internal'],
      backup_eligible: false,
      backed_up: false,
    });
    const listed = await app.inject({ method: 'GET', url: '/auth/passkeys', headers: bearer(token) });
    expect(listed.json()).toEqual({ passkeys: [passkey] });
    const stored = await deps.stores.passkeys.listForUser(user.id);
    expect(stored[0]!.credentialId).toBe(authenticator.credentials[0]!.credentialId.toString('base64url'));
    expect(await deps.stores.audit.list({ type: 'passkey_added' })).toHaveLength(1);
    // The next options exclude it, so the same authenticator is not registered twice.
    const again = await registrationOptions(app, token);
    expect(again.excludeCredentials?.map((c) => c.id)).toEqual([stored[0]!.credentialId]);
  });

  it('refuses a passkey registered already (to anyone) with passkey_already_registered', async () => {
    const { access_token: token } = await registerUser(app);
    const authenticator = new SoftwareAuthenticator({ origin: RP_ORIGIN });
    const first = authenticator.register(await registrationOptions(app, token));
    expect((await postRegistration(app, token, { response: first })).statusCode).toBe(201);
    // The same credential once more, under a fresh challenge.
    const options = await registrationOptions(app, token);
    const replay = JSON.parse(Buffer.from(first.response.clientDataJSON, 'base64url').toString()) as Record<
      string,
      string
    >;
    const clientDataJSON = Buffer.from(JSON.stringify({ ...replay, challenge: options.challenge })).toString(
      'base64url',
    );
    const duplicate = { ...first, response: { ...first.response, clientDataJSON } };
    expectProblem(
      await postRegistration(app, token, { response: duplicate }),
      409,
      'passkey_already_registered',
    );
  });

  it('needs a signed-in user', async () => {
    const response = await app.inject({ method: 'POST', url: '/auth/passkeys/registration/options' });
    expectProblem(response, 401, 'unauthenticated');
  });

  it('refuses a page of another origin, and a credential of another RP ID, storing nothing', async () => {
    const { access_token: token, user } = await registerUser(app);
    const authenticator = new SoftwareAuthenticator({ origin: RP_ORIGIN });
    const wrongOrigin = authenticator.register(await registrationOptions(app, token), {
      origin: 'http://127.0.0.1:3000',
    });
    expectProblem(
      await postRegistration(app, token, { response: wrongOrigin }),
      400,
      'passkey_origin_mismatch',
    );
    const wrongRp = authenticator.register(await registrationOptions(app, token), { rpId: 'evil.example' });
    expectProblem(await postRegistration(app, token, { response: wrongRp }), 400, 'passkey_rp_id_mismatch');
    expect(await deps.stores.passkeys.listForUser(user.id)).toEqual([]);
    expect(await deps.stores.audit.list({ type: 'passkey_added' })).toEqual([]);
  });

  it('binds the challenge to its user, its purpose and its lifetime, and spends it once', async () => {
    const alice = await registerUser(app);
    const bob = await registerUser(app, 'bob@example.com');
    const authenticator = new SoftwareAuthenticator({ origin: RP_ORIGIN });
    // Bob's challenge in Alice's registration.
    const bobs = authenticator.register(await registrationOptions(app, bob.access_token));
    expectProblem(
      await postRegistration(app, alice.access_token, { response: bobs }),
      400,
      'passkey_challenge_invalid',
    );
    // A sign-in challenge in a registration.
    const signInChallenge = (await signInOptions(app)).challenge;
    const crossed = authenticator.register(await registrationOptions(app, alice.access_token), {
      challenge: signInChallenge,
    });
    expectProblem(
      await postRegistration(app, alice.access_token, { response: crossed }),
      400,
      'passkey_challenge_invalid',
    );
    // Past its five minutes.
    const late = authenticator.register(await registrationOptions(app, alice.access_token));
    deps.clock.advanceSeconds(301);
    expectProblem(
      await postRegistration(app, alice.access_token, { response: late }),
      400,
      'passkey_challenge_invalid',
    );
    expect(await deps.stores.passkeys.listForUser(alice.user.id)).toEqual([]);
  });

  it('refuses an attestation that does not verify with passkey_response_invalid', async () => {
    const { access_token: token, user } = await registerUser(app);
    const authenticator = new SoftwareAuthenticator({ origin: RP_ORIGIN });
    const response = authenticator.register(await registrationOptions(app, token));
    // Chop the public key off the attested credential data: structurally CBOR, cryptographically void.
    const attestation = Buffer.from(response.response.attestationObject, 'base64url');
    const broken = {
      ...response,
      response: {
        ...response.response,
        attestationObject: attestation.subarray(0, attestation.length - 20).toString('base64url'),
      },
    };
    expectProblem(await postRegistration(app, token, { response: broken }), 400, 'passkey_response_invalid');
    expect(await deps.stores.passkeys.listForUser(user.id)).toEqual([]);
  });
});

describe('passwordless sign-in', () => {
  async function enrolled(options: { backupEligible?: boolean } = {}) {
    const registered = await registerUser(app);
    const authenticator = new SoftwareAuthenticator({ origin: RP_ORIGIN, ...options });
    const passkey = await addPasskey(app, registered.access_token, authenticator);
    return { ...registered, authenticator, passkey };
  }

  it('signs in with the passkey alone: a token pair with amr and acr, through the login pipeline', async () => {
    const { authenticator, user } = await enrolled();
    const options = await signInOptions(app);
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'preferred' });
    expect(options.allowCredentials ?? []).toEqual([]);
    const response = await postSignIn(app, authenticator.assert(options));
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ access_token: string; refresh_token: string; user: { id: string } }>();
    expect(body.user.id).toBe(user.id);
    expect(claimsOf(body.access_token)).toMatchObject({
      sub: user.id,
      amr: ['hwk', 'user'],
      acr: ACR_MULTI_FACTOR,
    });
    const me = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(body.access_token) });
    expect(me.statusCode).toBe(200);
    const [stored] = await deps.stores.passkeys.listForUser(user.id);
    expect(stored).toMatchObject({ counter: 1, lastUsedAt: deps.clock.now() });
    const audit = await deps.stores.audit.list({ type: 'login_succeeded', userId: user.id });
    expect(audit.at(0)?.detail).toEqual({ method: 'passkey' });
  });

  it('a synced passkey is swk; without user verification the sign-in is single-factor', async () => {
    const { authenticator } = await enrolled({ backupEligible: true });
    const response = await postSignIn(
      app,
      authenticator.assert(await signInOptions(app), { userVerified: false }),
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(claimsOf(response.json<{ access_token: string }>().access_token)).toMatchObject({
      amr: ['swk'],
      acr: ACR_SINGLE_FACTOR,
    });
  });

  it('opens a stateful session in session mode', async () => {
    const { authenticator } = await enrolled();
    const response = await postSignIn(app, authenticator.assert(await signInOptions(app)), '?mode=session');
    expect(response.statusCode, response.body).toBe(200);
    const { session_token: sessionToken } = response.json<{ session_token: string }>();
    const me = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(sessionToken) });
    expect(me.statusCode).toBe(200);
  });

  it('refuses a replayed assertion: its challenge was spent', async () => {
    const { authenticator } = await enrolled();
    const assertion = authenticator.assert(await signInOptions(app));
    expect((await postSignIn(app, assertion)).statusCode).toBe(200);
    expectProblem(await postSignIn(app, assertion), 400, 'passkey_challenge_invalid');
  });

  it('refuses a registration challenge used for a sign-in', async () => {
    const { authenticator, access_token: token } = await enrolled();
    const { challenge } = await registrationOptions(app, token);
    const assertion = authenticator.assert(await signInOptions(app), { challenge });
    expectProblem(await postSignIn(app, assertion), 400, 'passkey_challenge_invalid');
  });

  it('refuses another origin and another RP ID before spending the challenge', async () => {
    const { authenticator } = await enrolled();
    const options = await signInOptions(app);
    expectProblem(
      await postSignIn(app, authenticator.assert(options, { origin: 'http://127.0.0.1:3000' })),
      400,
      'passkey_origin_mismatch',
    );
    expectProblem(
      await postSignIn(app, authenticator.assert(options, { rpId: 'evil.example' })),
      400,
      'passkey_rp_id_mismatch',
    );
    // The challenge is still good for the genuine page.
    expect((await postSignIn(app, authenticator.assert(options))).statusCode).toBe(200);
  });

  it('flags and refuses a counter that went back (a cloned authenticator), changing nothing', async () => {
    const { authenticator, user } = await enrolled();
    expect(
      (await postSignIn(app, authenticator.assert(await signInOptions(app), { counter: 7 }))).statusCode,
    ).toBe(200);
    const clone = authenticator.assert(await signInOptions(app), { counter: 7 });
    expectProblem(await postSignIn(app, clone), 401, 'passkey_cloned');
    const older = authenticator.assert(await signInOptions(app), { counter: 3 });
    expectProblem(await postSignIn(app, older), 401, 'passkey_cloned');
    const flagged = await deps.stores.audit.list({ type: 'passkey_clone_detected' });
    expect(flagged).toHaveLength(2);
    expect(flagged[0]!.userId).toBe(user.id);
    expect((await deps.stores.passkeys.listForUser(user.id))[0]!.counter).toBe(7);
  });

  it('refuses an unknown passkey with passkey_unknown', async () => {
    await enrolled();
    const stranger = new SoftwareAuthenticator({ origin: RP_ORIGIN });
    stranger.register(
      await registrationOptions(app, (await registerUser(app, 'eve@example.com')).access_token),
    );
    expectProblem(await postSignIn(app, stranger.assert(await signInOptions(app))), 401, 'passkey_unknown');
  });

  it('refuses a bad signature, counts it towards lockout, and then refuses the locked account', async () => {
    const { authenticator, user } = await enrolled();
    for (let attempt = 0; attempt < deps.config.lockout.threshold; attempt++) {
      const assertion = authenticator.assert(await signInOptions(app));
      const signature = Buffer.from(assertion.response.signature, 'base64url');
      signature[signature.length - 1]! ^= 0x01;
      const forged = {
        ...assertion,
        response: { ...assertion.response, signature: signature.toString('base64url') },
      };
      expectProblem(await postSignIn(app, forged), 401, 'passkey_verification_failed');
    }
    expect(await deps.stores.audit.list({ type: 'lockout', userId: user.id })).toHaveLength(1);
    const genuine = authenticator.assert(await signInOptions(app));
    expectProblem(await postSignIn(app, genuine), 429, 'account_locked');
  });

  it('refuses a user handle naming another account', async () => {
    const { authenticator } = await enrolled();
    const assertion = authenticator.assert(await signInOptions(app));
    const other = {
      ...assertion,
      response: { ...assertion.response, userHandle: Buffer.from('someone-else').toString('base64url') },
    };
    expectProblem(await postSignIn(app, other), 401, 'passkey_verification_failed');
  });

  it('applies the account state: a disabled account is refused', async () => {
    const { authenticator, user } = await enrolled();
    await deps.stores.users.update(user.id, { disabled: true, updatedAt: deps.clock.now() });
    expectProblem(
      await postSignIn(app, authenticator.assert(await signInOptions(app))),
      403,
      'account_disabled',
    );
  });
});

describe('managing passkeys', () => {
  it('renames and deletes the caller\u2019s passkeys; another user\u2019s are not found', async () => {
    const alice = await registerUser(app);
    const bob = await registerUser(app, 'bob@example.com');
    const passkey = await addPasskey(
      app,
      alice.access_token,
      new SoftwareAuthenticator({ origin: RP_ORIGIN }),
    );
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/auth/passkeys/${passkey.id}`,
      headers: bearer(alice.access_token),
      payload: { name: 'Phone' },
    });
    expect(renamed.json()).toMatchObject({ passkey: { id: passkey.id, name: 'Phone' } });
    const bobRename = await app.inject({
      method: 'PATCH',
      url: `/auth/passkeys/${passkey.id}`,
      headers: bearer(bob.access_token),
      payload: { name: 'Mine' },
    });
    expectProblem(bobRename, 404, 'passkey_not_found');
    const bobDelete = await app.inject({
      method: 'DELETE',
      url: `/auth/passkeys/${passkey.id}`,
      headers: bearer(bob.access_token),
    });
    expectProblem(bobDelete, 404, 'passkey_not_found');
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/auth/passkeys/${passkey.id}`,
      headers: bearer(alice.access_token),
    });
    expect(deleted.statusCode).toBe(204);
    expect(await deps.stores.passkeys.listForUser(alice.user.id)).toEqual([]);
    expect(await deps.stores.audit.list({ type: 'passkey_removed' })).toHaveLength(1);
  });

  it('refuses to delete the only passkey of a passwordless account', async () => {
    const { access_token: token, user } = await registerUser(app);
    const first = await addPasskey(app, token, new SoftwareAuthenticator({ origin: RP_ORIGIN }));
    // A passwordless account: no password hash, passkeys only.
    await deps.stores.users.update(user.id, { passwordHash: '', updatedAt: deps.clock.now() });
    const refused = await app.inject({
      method: 'DELETE',
      url: `/auth/passkeys/${first.id}`,
      headers: bearer(token),
    });
    expectProblem(refused, 409, 'passkey_last_sign_in_method');
    expect(await deps.stores.passkeys.listForUser(user.id)).toHaveLength(1);
    // With a second passkey, either may go.
    await addPasskey(app, token, new SoftwareAuthenticator({ origin: RP_ORIGIN }));
    const allowed = await app.inject({
      method: 'DELETE',
      url: `/auth/passkeys/${first.id}`,
      headers: bearer(token),
    });
    expect(allowed.statusCode).toBe(204);
    // And no password opens a passwordless account.
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: user.email, password: '' },
    });
    expect(login.statusCode).toBe(400);
    const guessed = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: user.email, password: 'correct horse battery' },
    });
    expectProblem(guessed, 401, 'invalid_credentials');
  });
});
