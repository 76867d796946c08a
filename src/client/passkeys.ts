import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import type { PasskeyView } from '../wire/passkey-view.js';
import type { ClientContext } from './client-context.js';
import { commit } from './credential-state.js';
import { errorFromResponse, readJson } from './http-problem.js';
import { JSON_HEADERS } from './refresh-flow.js';
import { credentialsFromBody, signInQuery } from './token-body.js';
import { getJson, rawFetch } from './transport.js';
import type { AuthState } from './types.js';

/**
 * Passkeys (WebAuthn) over @simplewebauthn/browser: the server's options go to
 * navigator.credentials.create()/get() and the browser's answer goes back. Browser only (they need
 * `navigator.credentials`); the management calls work anywhere. The library is imported on first use,
 * so an app's bundler can split it off for pages that never touch a passkey.
 */

const loadWebAuthn = () => import('@simplewebauthn/browser');

/** Creates a passkey on this device for the signed-in user and registers it; returns the stored passkey. */
export async function registerPasskey(
  ctx: ClientContext,
  options: { name?: string } = {},
): Promise<PasskeyView> {
  const optionsJSON = (await getJson(ctx, '/auth/passkeys/registration/options', {
    method: 'POST',
    headers: JSON_HEADERS,
    body: '{}',
  })) as PublicKeyCredentialCreationOptionsJSON;
  const response = await (await loadWebAuthn()).startRegistration({ optionsJSON });
  const body = await getJson(ctx, '/auth/passkeys', {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ ...(options.name === undefined ? {} : { name: options.name }), response }),
  });
  return (body as { passkey: PasskeyView }).passkey;
}

/**
 * Signs in with a discoverable passkey, no e-mail needed. `conditional: true` runs the ceremony as
 * autofill (`mediation: 'conditional'`): it settles when the user picks a passkey in an input with
 * `autocomplete="username webauthn"`, so start it when the sign-in form shows.
 */
export async function signInWithPasskey<Claims extends object>(
  ctx: ClientContext<Claims>,
  options: { conditional?: boolean } = {},
): Promise<AuthState<Claims>> {
  const optionsResponse = await rawFetch(ctx, `${ctx.baseUrl}/auth/passkeys/sign-in/options`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: '{}',
  });
  if (!optionsResponse.ok) throw await errorFromResponse(optionsResponse, ctx.clock.now());
  const optionsJSON = (await readJson(optionsResponse)) as PublicKeyCredentialRequestOptionsJSON;
  const { startAuthentication } = await loadWebAuthn();
  const response = await startAuthentication({
    optionsJSON,
    useBrowserAutofill: options.conditional === true,
  });
  const signedIn = await rawFetch(
    ctx,
    `${ctx.baseUrl}/auth/passkeys/sign-in${signInQuery(ctx.delivery, ctx.mode)}`,
    {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ response }),
      ...(ctx.delivery === 'body' ? {} : { credentials: 'include' as const }),
    },
  );
  if (!signedIn.ok) throw await errorFromResponse(signedIn, ctx.clock.now());
  commit(
    ctx,
    credentialsFromBody(await readJson(signedIn), ctx.mode, ctx.delivery, ctx.clock.now()),
    'signed-in',
  );
  return ctx.state;
}

export async function listPasskeys(ctx: ClientContext): Promise<PasskeyView[]> {
  return ((await getJson(ctx, '/auth/passkeys')) as { passkeys: PasskeyView[] }).passkeys;
}

export async function renamePasskey(ctx: ClientContext, id: string, name: string): Promise<PasskeyView> {
  if (typeof id !== 'string' || id === '') throw new TypeError('A passkey id is required.');
  const body = await getJson(ctx, `/auth/passkeys/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    headers: JSON_HEADERS,
    body: JSON.stringify({ name }),
  });
  return (body as { passkey: PasskeyView }).passkey;
}

export async function deletePasskey(ctx: ClientContext, id: string): Promise<void> {
  if (typeof id !== 'string' || id === '') throw new TypeError('A passkey id is required.');
  await getJson(ctx, `/auth/passkeys/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
