import type { Deps } from '../deps.js';
import { clientSecretMatches, findClient, type OAuthClient } from './clients.js';
import { OAuthError } from './oauth-error.js';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** What the HTTP edge read from the request (RFC 6749 §2.3.1); one method per request. */
export interface ClientCredentials {
  method: ClientAuthMethod;
  clientId: string;
  /** Absent with method `none` (a public client sends only its client_id). */
  clientSecret?: string;
}

/**
 * Authenticates the client of an /oauth/* request (RFC 6749 §2.3, §3.2.1):
 * - an unknown client_id, a confidential client without its valid secret, or a public client that
 *   sends a secret → `invalid_client` (401; with a Basic challenge when Basic was used, §5.2);
 * - a public client sending only its client_id is identified, not authenticated.
 * The description is the same for every case, so it does not tell which clients exist.
 */
export async function authenticateClient(
  deps: Pick<Deps, 'config' | 'stores'>,
  credentials: ClientCredentials,
): Promise<OAuthClient> {
  const client = await findClient(deps, credentials.clientId);
  const secret = credentials.clientSecret ?? '';
  const authenticated =
    client !== undefined &&
    (client.type === 'confidential'
      ? credentials.method !== 'none' &&
        client.secretHash !== null &&
        clientSecretMatches(secret, client.secretHash)
      : secret === '');
  if (!authenticated) {
    throw new OAuthError('invalid_client', 'Client authentication failed.', {
      basicChallenge: credentials.method === 'client_secret_basic',
    });
  }
  return client;
}
