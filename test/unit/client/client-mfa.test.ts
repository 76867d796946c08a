/**
 * The SDK's second-factor methods against the real app (through inject): login surfaces
 * mfa_required as a typed result, verifySecondFactor completes it and signs the client in, and the
 * management methods enrol, confirm, list, regenerate and remove.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTesseraClient, isTesseraError, type TesseraClient } from '../../../src/client/index.js';
import { ACR_MULTI_FACTOR } from '../../../src/wire/authentication-strength.js';
import { createTestApp, type TestDeps } from '../../helpers/test-deps.js';
import { EMAIL, PASSWORD } from '../../http/http-kit.js';
import { codeAt, nextStep } from '../../http/mfa-kit.js';

function injectFetch(app: FastifyInstance): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const response = await app.inject({
      method: (init.method ?? 'GET') as 'GET',
      url: url.pathname + url.search,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      ...(init.body === undefined || init.body === null ? {} : { payload: String(init.body) }),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    return new Response(response.statusCode === 204 ? null : response.body, {
      status: response.statusCode,
      headers,
    });
  }) as typeof fetch;
}

describe('tessera/client second factors', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let client: TesseraClient;

  beforeEach(async () => {
    ({ app, deps } = await createTestApp());
    client = createTesseraClient({
      baseUrl: 'http://127.0.0.1:3000',
      fetch: injectFetch(app),
      storage: 'memory',
    });
    await client.ready;
  });
  afterEach(async () => {
    client.dispose();
    await app.close();
  });

  it('enrols, then login answers mfa_required and verifySecondFactor signs in at the 2fa level', async () => {
    await client.register({ email: EMAIL, password: PASSWORD });
    const enrolment = await client.mfa.enrolTotp({ label: 'Phone' });
    expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(enrolment.qrSvg).toMatch(/^<svg/);
    const confirmed = await client.mfa.confirmTotp(codeAt(deps, enrolment.secret));
    expect(confirmed.factor).toMatchObject({ kind: 'totp', label: 'Phone' });
    expect(confirmed.recoveryCodes).toHaveLength(10);
    nextStep(deps);
    expect(await client.mfa.list()).toMatchObject({
      recoveryCodesRemaining: 10,
      factors: [{ label: 'Phone' }],
    });

    await client.logout();
    const first = await client.login({ email: EMAIL, password: PASSWORD });
    expect(first).toMatchObject({
      status: 'mfa_required',
      methods: ['totp', 'recovery_code'],
      expiresIn: 300,
    });
    expect(client.getState().status).toBe('signed-out');
    if (first.status !== 'mfa_required') throw new Error('expected mfa_required');

    const wrong = await client
      .verifySecondFactor({ ticket: first.ticket, code: '000000' })
      .catch((e: unknown) => e);
    expect(isTesseraError(wrong) && wrong.code).toBe('mfa_code_invalid');
    const state = await client.verifySecondFactor({
      ticket: first.ticket,
      code: codeAt(deps, enrolment.secret),
    });
    expect(state.status).toBe('signed-in');
    if (state.status !== 'signed-in') throw new Error('expected signed-in');
    expect(state.claims).toMatchObject({ acr: ACR_MULTI_FACTOR, amr: ['pwd', 'otp', 'mfa'] });

    const fresh = await client.mfa.regenerateRecoveryCodes();
    expect(fresh).toHaveLength(10);
    await client.mfa.remove(confirmed.factor.id);
    expect(await client.mfa.list()).toEqual({ factors: [], recoveryCodesRemaining: 0 });
  });

  it('completes with a recovery code, and reports a 1fa session refused for removal as insufficient_user_authentication', async () => {
    await client.register({ email: EMAIL, password: PASSWORD });
    const enrolment = await client.mfa.enrolTotp();
    const { factor, recoveryCodes } = await client.mfa.confirmTotp(codeAt(deps, enrolment.secret));
    const refused = await client.mfa.remove(factor.id).catch((e: unknown) => e);
    expect(isTesseraError(refused) && refused.code).toBe('insufficient_user_authentication');
    await client.logout();
    const first = await client.login({ email: EMAIL, password: PASSWORD });
    if (first.status !== 'mfa_required') throw new Error('expected mfa_required');
    const state = await client.verifySecondFactor({ ticket: first.ticket, recoveryCode: recoveryCodes![0]! });
    expect(state.status).toBe('signed-in');
    await expect(client.mfa.remove('')).rejects.toThrow(TypeError);
  });
});
