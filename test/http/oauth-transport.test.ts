import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL, PASSWORD } from './http-kit.js';
import { createOAuthApp, expectOAuthError, postForm, WEB_AUTH } from './oauth-kit.js';

const ENDPOINTS = ['/oauth/token', '/oauth/revoke', '/oauth/introspect'];

describe('/oauth/* transport: form bodies only, RFC 6749 §5.2 errors, never a 500', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    ({ app } = await createOAuthApp());
  });
  afterAll(async () => {
    await app.close();
  });

  it.each(ENDPOINTS)('%s refuses a JSON body with invalid_request', async (url) => {
    const response = await app.inject({
      method: 'POST',
      url,
      headers: WEB_AUTH,
      payload: { grant_type: 'password', token: 'x' },
    });
    expect(expectOAuthError(response, 'invalid_request').error_description).toMatch(/x-www-form-urlencoded/);
  });

  it.each(ENDPOINTS)('%s refuses text/plain, a missing body and an unparsable content type', async (url) => {
    for (const headers of [{ 'content-type': 'text/plain' }, {}, { 'content-type': '%%%' }]) {
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { ...WEB_AUTH, ...headers },
        payload: 'a=b',
      });
      expectOAuthError(response, 'invalid_request');
    }
    expectOAuthError(await app.inject({ method: 'POST', url, headers: WEB_AUTH }), 'invalid_request');
  });

  it.each(ENDPOINTS)('%s refuses a repeated parameter (RFC 6749 §3.2)', async (url) => {
    const params = { grant_type: ['password', 'password'], token: ['a', 'b'] };
    const body = expectOAuthError(await postForm(app, url, params, WEB_AUTH), 'invalid_request');
    expect(body.error_description).toMatch(/repeated/);
    // A repeated client_id is refused as well, before client authentication.
    const twice = await postForm(app, url, {
      client_id: ['mobile', 'mobile'],
      grant_type: 'password',
      token: 'x',
    });
    expectOAuthError(twice, 'invalid_request');
  });

  it.each(ENDPOINTS)('%s answers an oversized body with 413 invalid_request', async (url) => {
    const response = await postForm(
      app,
      url,
      { grant_type: 'password', token: 'x'.repeat(20_000) },
      WEB_AUTH,
    );
    expectOAuthError(response, 'invalid_request', 413);
  });

  it('refuses over-long parameters and injection strings without a 500', async () => {
    expectOAuthError(
      await postForm(app, '/oauth/token', { grant_type: 'g'.repeat(65) }, WEB_AUTH),
      'invalid_request',
    );
    for (const grant of ["password' OR '1'='1", '<script>alert(1)</script>', '${jndi:ldap://x}', '\u0000']) {
      expectOAuthError(
        await postForm(app, '/oauth/token', { grant_type: grant }, WEB_AUTH),
        'unsupported_grant_type',
      );
    }
    const response = await postForm(app, '/oauth/token', {
      grant_type: 'password',
      username: "admin'--",
      password: '%00%ff',
      client_id: '__proto__',
    });
    expectOAuthError(response, 'invalid_client');
    const proto = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { ...WEB_AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '__proto__[x]=1&constructor=2&grant_type=%E0%A4%A',
    });
    expectOAuthError(proto, 'unsupported_grant_type');
  });

  it('ignores unknown parameters (RFC 6749 §3.2)', async () => {
    const response = await postForm(
      app,
      '/oauth/token',
      { grant_type: 'password', username: EMAIL, password: PASSWORD, nonce: 'x', resource: 'y' },
      WEB_AUTH,
    );
    expect(response.statusCode, response.body).toBe(200);
  });

  it('keeps /auth/login refusing form bodies (its CSRF defence): 415 problem+json', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: EMAIL, password: PASSWORD }).toString(),
    });
    expect(response.statusCode).toBe(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json<{ code: string }>().code).toBe('unsupported_media_type');
    // And JSON still works there, unaffected by the OAuth scope.
    const json = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: EMAIL, password: PASSWORD },
    });
    expect(json.statusCode).toBe(200);
  });

  it('answers GET on an OAuth endpoint with the usual 404 problem', async () => {
    const response = await app.inject({ method: 'GET', url: '/oauth/token' });
    expect(response.statusCode).toBe(404);
  });
});

describe('GET /.well-known/oauth-authorization-server (RFC 8414)', () => {
  it('publishes the endpoints, grants and client authentication methods, under the configured issuer', async () => {
    const { app, deps } = await createOAuthApp({ issuer: 'https://auth.example.com' });
    const response = await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.json()).toEqual({
      issuer: deps.config.issuer,
      token_endpoint: 'https://auth.example.com/oauth/token',
      jwks_uri: 'https://auth.example.com/.well-known/jwks.json',
      revocation_endpoint: 'https://auth.example.com/oauth/revoke',
      introspection_endpoint: 'https://auth.example.com/oauth/introspect',
      grant_types_supported: ['password', 'refresh_token', 'urn:tessera:params:oauth:grant-type:mfa'],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
    await app.close();
  });
});

describe('GET /openapi.json lists the OAuth routes', () => {
  it('documents /oauth/* with form-encoded request bodies, and the RFC 8414 metadata route', async () => {
    const { app } = await createOAuthApp();
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >;
    }>();
    for (const path of ENDPOINTS) {
      const content = document.paths[path]?.post?.requestBody?.content ?? {};
      expect(Object.keys(content), path).toEqual(['application/x-www-form-urlencoded']);
    }
    expect(
      document.paths['/oauth/token']?.post?.requestBody?.content['application/x-www-form-urlencoded'],
    ).toMatchObject({
      schema: { required: ['grant_type'] },
    });
    expect(document.paths['/.well-known/oauth-authorization-server']).toHaveProperty('get');
    await app.close();
  });
});
