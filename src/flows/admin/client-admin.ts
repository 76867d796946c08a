import type { ClientType, OAuthGrantType } from '../../stores/types.js';
import { ClientIdTakenError } from '../../stores/types.js';
import { recordAudit } from '../audit.js';
import type { Deps } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { fromConfig, hashClientSecret, type OAuthClient } from '../oauth/clients.js';

/**
 * Operator use cases for OAuth clients (the `tessera clients` CLI). Stored clients get a random
 * client_id and, when confidential, a generated 256-bit secret that is shown once and stored only as
 * its SHA-256. Clients from TESSERA_OAUTH_CLIENTS are listed too but are changed in the configuration.
 */

/** What an operator sees of a client: never the secret or its hash. */
export interface AdminClientView {
  client_id: string;
  name: string;
  type: ClientType;
  grant_types: OAuthGrantType[];
  scopes: string[];
  source: 'config' | 'store';
  /** null for configured clients, which have no creation time. */
  created_at: string | null;
}

export function toAdminClientView(client: OAuthClient): AdminClientView {
  return {
    client_id: client.clientId,
    name: client.name,
    type: client.type,
    grant_types: [...client.grantTypes],
    scopes: [...client.scopes],
    source: client.source,
    created_at: client.source === 'config' ? null : client.createdAt.toISOString(),
  };
}

type AdminDeps = Pick<Deps, 'stores' | 'config' | 'clock' | 'random' | 'logger'>;

export async function registerClient(
  deps: AdminDeps,
  input: { name: string; type: ClientType; grantTypes: OAuthGrantType[]; scopes: string[] },
): Promise<{ client: AdminClientView; clientSecret: string | null }> {
  const clientSecret = input.type === 'confidential' ? randomText(deps, 32) : null;
  const record = {
    clientId: randomText(deps, 16),
    name: input.name,
    type: input.type,
    secretHash: clientSecret === null ? null : hashClientSecret(clientSecret),
    grantTypes: [...new Set(input.grantTypes)],
    scopes: [...new Set(input.scopes)],
    createdAt: deps.clock.now(),
  };
  try {
    const created = await deps.stores.clients.create(record);
    await recordAudit(deps, 'client_added', { detail: { client_id: created.clientId, type: created.type } });
    return { client: toAdminClientView({ ...created, source: 'store' }), clientSecret };
  } catch (error) {
    // 128 random bits do not collide; if they ever did, the operator simply runs the command again.
    if (error instanceof ClientIdTakenError) {
      throw new Error('Client id collision; run the command again.', { cause: error });
    }
    throw error;
  }
}

/** Configured clients first, then stored ones, oldest first. */
export async function listClients(deps: AdminDeps): Promise<AdminClientView[]> {
  const configured = deps.config.oauthClients.map((client) => toAdminClientView(fromConfig(client)));
  const stored = (await deps.stores.clients.list()).map((client) =>
    toAdminClientView({ ...client, source: 'store' }),
  );
  return [...configured, ...stored];
}

/**
 * Removes a stored client, then revokes every session granted to it with their refresh tokens (in
 * that order, so no new session can appear in between): its refresh tokens stop working, and its
 * access tokens are refused wherever revocations are checked (strict mode, tessera/verify with the
 * revocation feed); elsewhere they run out at their `exp`.
 */
export async function removeClient(
  deps: AdminDeps,
  clientId: string,
): Promise<{ client: AdminClientView; sessionsRevoked: number }> {
  if (deps.config.oauthClients.some((client) => client.clientId === clientId)) {
    throw new FlowError(
      'client_not_found',
      `Client "${clientId}" comes from TESSERA_OAUTH_CLIENTS; remove it from the configuration.`,
    );
  }
  const client = await deps.stores.clients.findById(clientId);
  if (client === undefined || !(await deps.stores.clients.remove(clientId))) {
    throw new FlowError('client_not_found', 'No stored client has this client_id.');
  }
  const revoked = await deps.stores.sessions.revokeForClient(clientId, 'client_removed', deps.clock.now());
  await recordAudit(deps, 'client_removed', {
    detail: { client_id: clientId, sessions_revoked: revoked.length },
  });
  return { client: toAdminClientView({ ...client, source: 'store' }), sessionsRevoked: revoked.length };
}

function randomText(deps: Pick<Deps, 'random'>, bytes: number): string {
  return Buffer.from(deps.random.bytes(bytes)).toString('base64url');
}
