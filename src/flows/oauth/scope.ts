import { SCOPE_TOKEN_SHAPE } from '../../wire/oauth-scope.js';
import { OAuthError } from './oauth-error.js';

/**
 * What a scope means in Tessera: each client is registered with the scope values it may request
 * (e.g. `billing:read`). Tessera grants them as asked and stamps them on the access token
 * (RFC 9068 §2.2.3); the resource servers decide what each value allows. Roles stay separate.
 */

/** Parses the `scope` parameter (RFC 6749 §3.3): space-delimited tokens, duplicates dropped. */
export function parseScope(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const values = raw.split(' ').filter((value) => value !== '');
  if (values.some((value) => !SCOPE_TOKEN_SHAPE.test(value))) {
    throw new OAuthError('invalid_scope', 'The scope parameter is malformed.');
  }
  return [...new Set(values)];
}

/**
 * The scope to grant a client: what it asked for when every value is registered for it, else
 * `invalid_scope`; its whole registered scope when it asked for none (the §3.3 default).
 */
export function grantScope(requested: readonly string[] | undefined, allowed: readonly string[]): string[] {
  if (requested === undefined) return [...allowed];
  const unknown = requested.find((value) => !allowed.includes(value));
  if (unknown !== undefined) {
    throw new OAuthError('invalid_scope', 'The requested scope is not registered for this client.');
  }
  return [...requested];
}
