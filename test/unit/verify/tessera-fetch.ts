import type { FastifyInstance } from 'fastify';

/**
 * A fetch that answers from a Tessera app through inject(): no socket, so a test can drive the
 * verifier's JWKS and revocation feed on the injected clock alone. `feedDown` makes the revocation
 * feed fail like a dead host (the JWKS keeps answering).
 */
export function fetchFromApp(app: FastifyInstance): {
  fetch: typeof fetch;
  feedDown: boolean;
  calls: string[];
} {
  const state = {
    feedDown: false,
    calls: [] as string[],
    fetch: (async (input: string | URL | Request) => {
      const url = new URL(String(input));
      state.calls.push(url.pathname + url.search);
      if (state.feedDown && url.pathname === '/auth/revocations')
        throw new TypeError('fetch failed: connect ECONNREFUSED');
      const response = await app.inject({ method: 'GET', url: url.pathname + url.search });
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      }
      return new Response(response.rawPayload, { status: response.statusCode, headers });
    }) as typeof fetch,
  };
  return state;
}
