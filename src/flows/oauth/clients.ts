import { createHash, timingSafeEqual } from 'node:crypto';
import type { ConfiguredClient } from '../../config/types.js';
import type { ClientRecord } from '../../stores/types.js';
import type { Deps } from '../deps.js';

/** Every configured client counts as created at the epoch: it has no creation time of its own. */
const CONFIGURED_AT = new Date(0);

/** A client as the OAuth flows see it, wherever it was registered. */
export type OAuthClient = ClientRecord & { source: 'config' | 'store' };

/**
 * Looks a client up: configuration first (it cannot be removed at run time, so an operator's
 * definition wins), then the store the CLI writes to.
 */
export async function findClient(
  deps: Pick<Deps, 'config' | 'stores'>,
  clientId: string,
): Promise<OAuthClient | undefined> {
  const configured = deps.config.oauthClients.find((client) => client.clientId === clientId);
  if (configured !== undefined) return fromConfig(configured);
  const stored = await deps.stores.clients.findById(clientId);
  return stored && { ...stored, source: 'store' };
}

export function fromConfig(client: ConfiguredClient): OAuthClient {
  return {
    ...client,
    grantTypes: [...client.grantTypes],
    scopes: [...client.scopes],
    createdAt: CONFIGURED_AT,
    source: 'config',
  };
}

/** SHA-256 of a client secret, base64url: what the store and the configuration hold. */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/**
 * Constant-time comparison of SHA-256(presented) with the stored hash. Secrets are generated with
 * 256 bits, so a slow password hash would add cost and no strength (docs/decisions/0012).
 */
export function clientSecretMatches(presented: string, storedHash: string): boolean {
  const actual = Buffer.from(hashClientSecret(presented), 'base64url');
  const expected = Buffer.from(storedHash, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
