/** Shared steps of the passkey HTTP tests: a signed-in user, a registered software passkey, a sign-in. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { Config } from '../../src/config/types.js';
import type { SoftwareAuthenticator } from '../helpers/software-authenticator.js';
import { type CeremonyOverrides } from '../helpers/software-authenticator.js';
import { bearer } from './http-kit.js';

export const RP_ORIGIN = 'http://localhost:3000';
export const PASSKEY_CONFIG: Partial<Config> = {
  publicUrl: RP_ORIGIN,
  webauthn: { rpId: 'localhost', rpName: 'Tessera tests', origins: [RP_ORIGIN] },
};

export async function registrationOptions(
  app: FastifyInstance,
  accessToken: string,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const response = await app.inject({
    method: 'POST',
    url: '/auth/passkeys/registration/options',
    headers: bearer(accessToken),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

export function postRegistration(
  app: FastifyInstance,
  accessToken: string,
  payload: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/auth/passkeys',
    headers: bearer(accessToken),
    payload: payload as object,
  });
}

/** Registers a new passkey on `authenticator` for the user behind `accessToken`; returns its view. */
export async function addPasskey(
  app: FastifyInstance,
  accessToken: string,
  authenticator: SoftwareAuthenticator,
  overrides: CeremonyOverrides = {},
): Promise<{ id: string; name: string }> {
  const options = await registrationOptions(app, accessToken);
  const response = await postRegistration(app, accessToken, {
    name: 'Test key',
    response: authenticator.register(options, overrides),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ passkey: { id: string; name: string } }>().passkey;
}

export async function signInOptions(app: FastifyInstance): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const response = await app.inject({ method: 'POST', url: '/auth/passkeys/sign-in/options' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

export function postSignIn(
  app: FastifyInstance,
  response: AuthenticationResponseJSON | unknown,
  query = '',
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/auth/passkeys/sign-in${query}`,
    payload: { response } as object,
  });
}

/** The claims of a JWT, unverified (the server issued it; the test reads what it stamped). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
