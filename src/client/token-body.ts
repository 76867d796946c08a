import type { Credentials } from './credentials.js';
import type { Delivery } from './resolve-options.js';
import { TesseraError } from './tessera-error.js';
import type { AuthMode, User } from './types.js';

/**
 * The query of register/login for a strategy and mode (see Delivery). The mode is always explicit: a
 * server configured to default to session mode must not hand a JWT client a session token.
 */
export function signInQuery(delivery: Delivery, mode: AuthMode): string {
  return `?delivery=${delivery}&mode=${mode}`;
}

/**
 * Reads the body of register, login and refresh into credentials, checking that what the delivery
 * promises is there (a proxy or an old server answering differently is an error, not a silent sign-out).
 */
export function credentialsFromBody(
  body: unknown,
  mode: AuthMode,
  delivery: Delivery,
  nowMs: number,
): Credentials {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  const bearer = delivery === 'cookie' ? null : text(mode === 'session' ? b.session_token : b.access_token);
  const refreshToken = mode === 'jwt' && delivery === 'body' ? text(b.refresh_token) : null;
  const complete =
    typeof b.user === 'object' &&
    b.user !== null &&
    typeof b.expires_in === 'number' &&
    (delivery === 'cookie' || bearer !== null) &&
    (mode === 'session' || delivery !== 'body' || refreshToken !== null);
  if (!complete) {
    throw new TesseraError({
      code: 'unexpected_response',
      status: 200,
      message: 'The server answered without the expected credentials.',
    });
  }
  return {
    mode,
    bearer,
    refreshToken,
    expiresAt: nowMs + (b.expires_in as number) * 1000,
    user: b.user as User,
    csrfToken: text(b.csrf_token),
  };
}
