import { describe, expect, it } from 'vitest';
import { ClientIdTakenError } from '../../../src/stores/types.js';
import type { ClientRecord } from '../../../src/stores/types.js';
import { at, MINUTE_MS, newSession, newUser, nextId, T0, type StoreContext } from './fixtures.js';

function newClient(overrides: Partial<ClientRecord> = {}): ClientRecord {
  return {
    clientId: nextId('client'),
    name: 'Billing app',
    type: 'confidential',
    secretHash: 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg',
    grantTypes: ['password', 'refresh_token'],
    scopes: ['billing:read'],
    createdAt: T0,
    ...overrides,
  };
}

/** ClientStore, and the OAuth client binding of sessions (migration 003). */
export function describeClientStore(ctx: StoreContext): void {
  describe('ClientStore', () => {
    it('creates and finds a client, every field round-tripped', async () => {
      const client = newClient();
      expect(await ctx.stores.clients.create(client)).toEqual(client);
      expect(await ctx.stores.clients.findById(client.clientId)).toEqual(client);
      const pub = newClient({ type: 'public', secretHash: null, grantTypes: ['refresh_token'], scopes: [] });
      await ctx.stores.clients.create(pub);
      expect(await ctx.stores.clients.findById(pub.clientId)).toEqual(pub);
    });

    it('refuses a duplicate client_id with ClientIdTakenError and keeps the first', async () => {
      const client = newClient();
      await ctx.stores.clients.create(client);
      await expect(ctx.stores.clients.create({ ...client, name: 'Other' })).rejects.toBeInstanceOf(
        ClientIdTakenError,
      );
      expect((await ctx.stores.clients.findById(client.clientId))?.name).toBe('Billing app');
    });

    it('answers undefined for an unknown client_id', async () => {
      expect(await ctx.stores.clients.findById('no-such-client')).toBeUndefined();
    });

    it('lists oldest first, ties by client_id', async () => {
      const late = newClient({ clientId: 'a-late', createdAt: at(MINUTE_MS) });
      const early2 = newClient({ clientId: 'c-early' });
      const early1 = newClient({ clientId: 'b-early' });
      for (const client of [late, early2, early1]) await ctx.stores.clients.create(client);
      expect((await ctx.stores.clients.list()).map((c) => c.clientId)).toEqual([
        'b-early',
        'c-early',
        'a-late',
      ]);
    });

    it('removes a client once; removing again or an unknown one answers false', async () => {
      const client = newClient();
      await ctx.stores.clients.create(client);
      expect(await ctx.stores.clients.remove(client.clientId)).toBe(true);
      expect(await ctx.stores.clients.remove(client.clientId)).toBe(false);
      expect(await ctx.stores.clients.findById(client.clientId)).toBeUndefined();
      expect(await ctx.stores.clients.list()).toEqual([]);
    });

    it('keeps the client and scope a session was granted to, and leaves first-party sessions without', async () => {
      const user = await ctx.stores.users.create(newUser());
      const oauth = await ctx.stores.sessions.create(
        newSession(user.id, { clientId: 'billing', scope: 'billing:read' }),
      );
      const firstParty = await ctx.stores.sessions.create(newSession(user.id));
      expect(await ctx.stores.sessions.findById(oauth.id)).toMatchObject({
        clientId: 'billing',
        scope: 'billing:read',
      });
      const plain = await ctx.stores.sessions.findById(firstParty.id);
      expect(plain).not.toHaveProperty('clientId');
      expect(plain).not.toHaveProperty('scope');
    });
  });
}
