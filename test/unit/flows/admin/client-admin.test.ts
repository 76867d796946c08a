import { describe, expect, it } from 'vitest';
import { listClients, registerClient, removeClient } from '../../../../src/flows/admin/client-admin.js';
import { authenticateClient } from '../../../../src/flows/oauth/client-auth.js';
import { hashClientSecret } from '../../../../src/flows/oauth/clients.js';
import { createTestDeps } from '../../../helpers/test-deps.js';

const CONFIGURED = {
  clientId: 'ops',
  name: 'Ops',
  type: 'confidential' as const,
  secretHash: hashClientSecret('ops secret'),
  grantTypes: ['refresh_token' as const],
  scopes: [],
};

describe('client administration', () => {
  it('registers a confidential client whose generated secret authenticates, and stores only its hash', async () => {
    const deps = await createTestDeps();
    const { client, clientSecret } = await registerClient(deps, {
      name: 'Billing',
      type: 'confidential',
      grantTypes: ['password', 'password'],
      scopes: ['billing:read'],
    });
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client).toMatchObject({
      grant_types: ['password'],
      source: 'store',
      created_at: deps.clock.now().toISOString(),
    });
    const stored = await deps.stores.clients.findById(client.client_id);
    expect(stored?.secretHash).toBe(hashClientSecret(clientSecret!));
    expect(JSON.stringify(stored)).not.toContain(clientSecret!);
    const authenticated = await authenticateClient(deps, {
      method: 'client_secret_post',
      clientId: client.client_id,
      clientSecret: clientSecret!,
    });
    expect(authenticated.clientId).toBe(client.client_id);
    await expect(
      authenticateClient(deps, { method: 'none', clientId: client.client_id }),
    ).rejects.toMatchObject({ error: 'invalid_client', basicChallenge: false });
  });

  it('registers a public client without a secret', async () => {
    const deps = await createTestDeps();
    const { client, clientSecret } = await registerClient(deps, {
      name: 'Mobile',
      type: 'public',
      grantTypes: ['refresh_token'],
      scopes: [],
    });
    expect(clientSecret).toBeNull();
    expect((await deps.stores.clients.findById(client.client_id))?.secretHash).toBeNull();
  });

  it('lists configured clients first, then stored ones', async () => {
    const deps = await createTestDeps({ config: { oauthClients: [CONFIGURED] } });
    const { client } = await registerClient(deps, { name: 'B', type: 'public', grantTypes: [], scopes: [] });
    expect((await listClients(deps)).map((c) => [c.client_id, c.source, c.created_at === null])).toEqual([
      ['ops', 'config', true],
      [client.client_id, 'store', false],
    ]);
  });

  it('removes a stored client once, then answers client_not_found; a configured one is refused', async () => {
    const deps = await createTestDeps({ config: { oauthClients: [CONFIGURED] } });
    const { client } = await registerClient(deps, { name: 'B', type: 'public', grantTypes: [], scopes: [] });
    expect((await removeClient(deps, client.client_id)).client.client_id).toBe(client.client_id);
    await expect(removeClient(deps, client.client_id)).rejects.toMatchObject({ code: 'client_not_found' });
    await expect(removeClient(deps, 'ops')).rejects.toMatchObject({
      code: 'client_not_found',
      message: expect.stringContaining('TESSERA_OAUTH_CLIENTS'),
    });
    expect(await deps.stores.clients.list()).toEqual([]);
  });
});
