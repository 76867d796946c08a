/**
 * Removing an OAuth client ends what it was granted: its sessions are revoked (strict mode refuses its
 * access tokens at once, the revocation feed lists them), its refresh tokens stop working, and the
 * removal is audited. Other clients' sessions are untouched.
 */
import { describe, expect, it } from 'vitest';
import { registerClient, removeClient } from '../../src/flows/admin/client-admin.js';
import { bearer, expectProblem } from './http-kit.js';
import {
  basic,
  claimsOf,
  createOAuthApp,
  expectOAuthError,
  passwordGrant,
  postForm,
  WEB_AUTH,
} from './oauth-kit.js';

describe('removing an OAuth client', () => {
  it('revokes its sessions and refresh tokens, leaves other clients alone, and is audited', async () => {
    const { app, deps } = await createOAuthApp({ strictMode: true });
    const { client, clientSecret } = await registerClient(deps, {
      name: 'Billing',
      type: 'confidential',
      grantTypes: ['password', 'refresh_token'],
      scopes: [],
    });
    const auth = basic(client.client_id, clientSecret!);
    const removed = await passwordGrant(app, {}, auth);
    const removedAgain = await passwordGrant(app, {}, auth);
    const kept = await passwordGrant(app); // the configured client "web"
    const secure = (token: string) =>
      app.inject({ method: 'GET', url: '/api/secure', headers: bearer(token) });
    expect((await secure(removed.access_token)).statusCode).toBe(200);

    const result = await removeClient(deps, client.client_id);
    expect(result).toMatchObject({ client: { client_id: client.client_id }, sessionsRevoked: 2 });

    expectProblem(await secure(removed.access_token), 401, 'session_revoked');
    expectProblem(await secure(removedAgain.access_token), 401, 'session_revoked');
    expectOAuthError(
      await postForm(
        app,
        '/oauth/token',
        { grant_type: 'refresh_token', refresh_token: removed.refresh_token },
        auth,
      ),
      'invalid_client',
    );
    expect((await secure(kept.access_token)).statusCode).toBe(200);
    const refreshed = await postForm(
      app,
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: kept.refresh_token },
      WEB_AUTH,
    );
    expect(refreshed.statusCode, refreshed.body).toBe(200);

    const feed = await app.inject({ method: 'GET', url: '/auth/revocations' });
    const listed = feed.json<{ revoked: { sid: string }[] }>().revoked.map((entry) => entry.sid);
    expect(listed.sort()).toEqual(
      [claimsOf(removed.access_token).sid, claimsOf(removedAgain.access_token).sid].sort(),
    );

    const audit = await deps.stores.audit.list({ type: 'client_removed' });
    expect(audit).toEqual([
      expect.objectContaining({ detail: { client_id: client.client_id, sessions_revoked: 2 } }),
    ]);
    expect(await deps.stores.audit.list({ type: 'client_added' })).toHaveLength(1);
    await app.close();
  });

  it('revokes nothing when the client had no sessions', async () => {
    const { app, deps } = await createOAuthApp();
    const { client } = await registerClient(deps, {
      name: 'Idle',
      type: 'public',
      grantTypes: [],
      scopes: [],
    });
    expect((await removeClient(deps, client.client_id)).sessionsRevoked).toBe(0);
    await app.close();
  });
});
