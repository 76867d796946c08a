/**
 * A request that reaches the server after it began closing gets a 503 problem (or, at /oauth/*, the
 * RFC 6749 temporarily_unavailable answer) with the security headers, as the OpenAPI document declares:
 * never Fastify's bare `{error, message, statusCode}`. Found by the OpenAPI conformance check.
 * @see issue #10 (parts 3 and 4)
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/build-app.js';
import { createConformanceChecker } from '../helpers/openapi-conformance.js';
import { createTestDeps } from '../helpers/test-deps.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** The closed app's request handler behind a fresh socket: what a late keep-alive request meets. */
async function closedAppUrl(): Promise<{ url: string; check: ReturnType<typeof createConformanceChecker> }> {
  const app = await buildApp(await createTestDeps());
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<
    Record<string, unknown>
  >();
  const handler = app.server.listeners('request')[0] as RequestListener;
  await app.close();
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, check: createConformanceChecker(document) };
}

describe('requests arriving while the server closes', () => {
  it('get 503 service_unavailable as problem+json, with Retry-After and the security headers', async () => {
    const { url, check } = await closedAppUrl();
    const response = await fetch(`${url}/auth/me`);
    const body = await response.text();
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(body)).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('connection')).toBe('close');
    const headers = Object.fromEntries(response.headers.entries());
    expect(check({ method: 'GET', url: '/auth/me', status: 503, headers, body })).toEqual([]);
  });

  it('get 503 temporarily_unavailable at the OAuth endpoints', async () => {
    const { url, check } = await closedAppUrl();
    const response = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password',
    });
    const body = await response.text();
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(body)).toMatchObject({ error: 'temporarily_unavailable' });
    const headers = Object.fromEntries(response.headers.entries());
    expect(check({ method: 'POST', url: '/oauth/token', status: 503, headers, body })).toEqual([]);
  });
});
