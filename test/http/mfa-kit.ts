/**
 * Shared helpers of the second-factor tests: enrol and confirm TOTP for a user, compute the code an
 * authenticator app would show at the test clock's time, and start a two-step sign-in.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { decodeBase32 } from '../../src/flows/mfa/base32.js';
import { generateTotp, timeStepAt } from '../../src/flows/mfa/one-time-password.js';
import { toNumericDate } from '../../src/platform/clock.js';
import type { TestDeps } from '../helpers/test-deps.js';
import { bearer, EMAIL, PASSWORD, postLogin } from './http-kit.js';

export interface Enrolled {
  secret: string;
  factorId: string;
  recoveryCodes: string[];
}

/** The code of the step at the clock's time, shifted by `offsetSteps`. */
export function codeAt(deps: TestDeps, secret: string, offsetSteps = 0): string {
  const step = timeStepAt(toNumericDate(deps.clock.now())) + offsetSteps;
  return generateTotp(decodeBase32(secret)!, step);
}

/** Moves the clock to the start of the next 30-second step, so the next code is a fresh one. */
export function nextStep(deps: TestDeps): void {
  const seconds = toNumericDate(deps.clock.now());
  deps.clock.advanceSeconds(30 - (seconds % 30));
}

export async function enrolTotp(
  app: FastifyInstance,
  accessToken: string,
): Promise<{ secret: string; factorId: string; body: Record<string, unknown> }> {
  const response = await app.inject({ method: 'POST', url: '/auth/mfa/totp', headers: bearer(accessToken) });
  expect(response.statusCode, response.body).toBe(201);
  const body = response.json<{ secret: string; factor_id: string }>();
  return { secret: body.secret, factorId: body.factor_id, body };
}

/** Enrols and confirms TOTP; the clock then moves to the next step so the test's next code is unused. */
export async function enrolAndConfirm(
  app: FastifyInstance,
  deps: TestDeps,
  accessToken: string,
): Promise<Enrolled> {
  const { secret, factorId } = await enrolTotp(app, accessToken);
  const confirm = await app.inject({
    method: 'POST',
    url: '/auth/mfa/totp/confirm',
    headers: bearer(accessToken),
    payload: { code: codeAt(deps, secret) },
  });
  expect(confirm.statusCode, confirm.body).toBe(200);
  nextStep(deps);
  return { secret, factorId, recoveryCodes: confirm.json<{ recovery_codes: string[] }>().recovery_codes };
}

/** First step: the password; expects mfa_required and returns its ticket. */
export async function startSignIn(app: FastifyInstance, url = '/auth/login'): Promise<string> {
  const response =
    url === '/auth/login'
      ? await postLogin(app)
      : await app.inject({ method: 'POST', url, payload: { email: EMAIL, password: PASSWORD } });
  expect(response.statusCode, response.body).toBe(401);
  const body = response.json<{ code: string; mfa_ticket: string }>();
  expect(body.code).toBe('mfa_required');
  return body.mfa_ticket;
}

export function postVerify(
  app: FastifyInstance,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/auth/mfa/verify', payload, headers });
}

/** Signs in with both factors and returns the token body. */
export async function signInWithTotp(
  app: FastifyInstance,
  deps: TestDeps,
  secret: string,
): Promise<{ access_token: string; refresh_token: string }> {
  const ticket = await startSignIn(app);
  const response = await postVerify(app, { ticket, code: codeAt(deps, secret) });
  expect(response.statusCode, response.body).toBe(200);
  nextStep(deps);
  return response.json();
}
