/**
 * Interoperability with a real OAuth client library, panva/oauth4webapi: discovery through the RFC 8414
 * metadata, the password grant (sent as a generic grant), the refresh_token grant, RFC 7662
 * introspection and RFC 7009 revocation, against a Tessera app listening on loopback. oauth4webapi
 * validates every answer (issuer, content type, token_type, required members), so a wrong answer
 * from Tessera fails these tests. Plain HTTP needs its allowInsecureRequests option.
 */
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashClientSecret } from '../../src/flows/oauth/clients.js';
import { buildApp } from '../../src/http/build-app.js';
import { createTestDeps } from '../helpers/test-deps.js';

const EMAIL = 'interop@example.com';
const PASSWORD = 'correct horse battery';
const SECRET = 'interop-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const INSECURE = { [oauth.allowInsecureRequests]: true } as const;

/** A free loopback port, so the issuer (which goes into every token) is known before the app is built. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('oauth4webapi against Tessera', () => {
  let app: FastifyInstance;
  let issuer: URL;
  let as: oauth.AuthorizationServer;
  const client: oauth.Client = { client_id: 'interop' };
  const auth = oauth.ClientSecretBasic(SECRET);

  beforeAll(async () => {
    const port = await freePort();
    issuer = new URL(`http://127.0.0.1:${port}`);
    const deps = await createTestDeps({
      config: {
        issuer: issuer.href.replace(/\/$/, ''),
        oauthClients: [
          {
            clientId: 'interop',
            name: 'Interop',
            type: 'confidential',
            secretHash: hashClientSecret(SECRET),
            grantTypes: ['password', 'refresh_token'],
            scopes: ['read'],
          },
        ],
      },
    });
    app = await buildApp(deps);
    await app.listen({ host: '127.0.0.1', port });
    const registered = await app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: EMAIL, password: PASSWORD },
    });
    expect(registered.statusCode).toBe(201);
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...INSECURE }),
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  const passwordGrant = async (): Promise<oauth.TokenEndpointResponse> => {
    const response = await oauth.genericTokenEndpointRequest(
      as,
      client,
      auth,
      'password',
      { username: EMAIL, password: PASSWORD, scope: 'read' },
      INSECURE,
    );
    return oauth.processGenericTokenEndpointResponse(as, client, response);
  };

  it('discovers the endpoints through /.well-known/oauth-authorization-server', () => {
    expect(as.issuer).toBe(issuer.href.replace(/\/$/, ''));
    expect(as.token_endpoint).toBe(new URL('/oauth/token', issuer).href);
    expect(as.revocation_endpoint).toBe(new URL('/oauth/revoke', issuer).href);
    expect(as.introspection_endpoint).toBe(new URL('/oauth/introspect', issuer).href);
  });

  it('gets tokens with the password grant and refreshes them', async () => {
    const first = await passwordGrant();
    expect(first).toMatchObject({ token_type: 'bearer', scope: 'read' });
    expect(typeof first.refresh_token).toBe('string');
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, first.refresh_token!, INSECURE),
    );
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);
    expect(refreshed.access_token).not.toBe(first.access_token);
  });

  it('introspects an active access token and an unknown one', async () => {
    const tokens = await passwordGrant();
    const active = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.access_token, INSECURE),
    );
    expect(active).toMatchObject({ active: true, client_id: 'interop', scope: 'read', token_type: 'Bearer' });
    const unknown = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, 'not-a-token', INSECURE),
    );
    expect(unknown).toEqual({ active: false });
  });

  it('revokes a refresh token, after which refreshing fails with invalid_grant', async () => {
    const tokens = await passwordGrant();
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, auth, tokens.refresh_token!, INSECURE),
    );
    const refused = oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, INSECURE),
    );
    await expect(refused).rejects.toMatchObject({ error: 'invalid_grant', status: 400 });
    const introspected = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.access_token, INSECURE),
    );
    expect(introspected.active).toBe(false);
  });

  it('surfaces a wrong client secret as invalid_client with a Basic challenge', async () => {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic('wrong'),
      'x',
      INSECURE,
    );
    const error = await oauth.processRefreshTokenResponse(as, client, response).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    const challenge = error as oauth.WWWAuthenticateChallengeError;
    expect(challenge.status).toBe(401);
    expect(challenge.cause[0]).toMatchObject({ scheme: 'basic', parameters: { realm: 'tessera' } });
    expect(await challenge.response.json()).toMatchObject({ error: 'invalid_client' });
  });
});
