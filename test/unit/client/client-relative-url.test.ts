/**
 * Outside a page there is nothing for fetch to resolve a relative URL against: the SDK resolves it
 * against baseUrl, as its credential check already did, instead of failing with `network_error`.
 * @see issue 12 ("Docs that run": `auth.fetch('/api/orders')` in Node)
 */
import { describe, expect, it } from 'vitest';
import { createTesseraClient } from '../../../src/client/index.js';
import { createHarness, CREDENTIALS } from './client-kit.js';

describe('client.fetch with a relative URL outside a browser', () => {
  it('resolves it against baseUrl and adds the credential', async () => {
    const { client, server } = createHarness();
    await client.login(CREDENTIALS);
    const response = await client.fetch('/api/data');
    expect(response.status).toBe(200);
    const sent = server.requests.at(-1)!;
    expect(sent.path).toBe('/api/data');
    expect(sent.headers.get('authorization')).toMatch(/^Bearer /);
    client.dispose();
  });

  it('resolves it like a browser would: against the origin for an absolute path, a path prefix aside', async () => {
    const { client, server } = createHarness({ baseUrl: 'http://tessera.test/auth-server/' });
    const response = await client.fetch('/api/data?page=2');
    expect(response.status).toBe(401); // signed out: no credential, but the request reached the server
    expect(server.requests.at(-1)!.path).toBe('/api/data');
    expect(server.requests.at(-1)!.query.get('page')).toBe('2');
    client.dispose();
  });

  it('leaves absolute URLs, URL objects and Requests alone', async () => {
    const { client, server } = createHarness({ trustedOrigins: ['https://api.example'] });
    await client.login(CREDENTIALS);
    await client.fetch(new URL('http://tessera.test/api/data'));
    await client.fetch(new Request('http://tessera.test/api/data'));
    expect(server.count('/api/data')).toBe(2);
    client.dispose();
  });

  it.each([[undefined], [''], ['/tessera']])(
    'refuses a relative URL with a TypeError naming baseUrl when baseUrl is %j',
    async (baseUrl) => {
      const { server } = createHarness();
      const client = createTesseraClient({ baseUrl, fetch: server.fetch });
      await expect(client.fetch('/api/data')).rejects.toThrow(
        new TypeError(
          'Cannot resolve the relative URL "/api/data" outside a browser: give createTesseraClient an absolute baseUrl.',
        ),
      );
      await expect(client.login(CREDENTIALS)).rejects.toBeInstanceOf(TypeError);
      expect(server.requests).toHaveLength(0);
      client.dispose();
    },
  );
});
