/**
 * Benchmark targets for Tessera embedded in a host app (docs/embedding.md), each serving the host's own
 * GET /api/secure with the same JSON as the standalone route, so the scenarios compare like for like:
 *   tessera-embedded   a Fastify host with tessera() mounted under /identity, the route guarded by
 *                      app.tessera.requireAuth
 *   tessera-web        a node:http host with createTesseraHandler() under /identity, the route guarded by
 *                      authenticate() (the Request -> inject() -> Response bridge)
 */
import { createServer } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import {
  createTesseraHandler,
  nodeHandler,
  sendWebResponse,
  tessera,
  toWebRequest,
} from '../../src/index.js';

const SECURE_BODY = (sub: string) => ({ message: 'You reached a protected resource.', sub });
const REGISTER = { email: 'bench-embedded@example.com', password: 'bench password 123' };

/** A fresh SQLite file, silent logs, day-long access tokens (the load must not outlive its token). */
function benchSettings(): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-embedded-'));
  return { databaseUrl: `sqlite:${join(dir, 'bench.db')}`, logLevel: 'silent', accessTokenTtlSeconds: '1d' };
}

export async function startEmbedded() {
  const app = Fastify({ logger: false });
  await app.register(tessera({ prefix: '/identity', config: benchSettings() }));
  app.get('/api/secure', { preHandler: app.tessera.requireAuth }, async (request) =>
    SECURE_BODY(request.principal!.userId),
  );
  const registered = await app.inject({ method: 'POST', url: '/identity/auth/register', payload: REGISTER });
  if (registered.statusCode !== 201) throw new Error(`register failed: ${registered.statusCode}`);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    port: (app.server.address() as { port: number }).port,
    accessToken: (registered.json() as { access_token: string }).access_token,
  };
}

export async function startWebHandler() {
  const auth = await createTesseraHandler({ prefix: '/identity', config: benchSettings() });
  const authRoutes = nodeHandler(auth.handler);
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/identity/')) return authRoutes(req, res);
    if (req.url !== '/api/secure') {
      res.statusCode = 404;
      return res.end();
    }
    void auth
      .authenticate(toWebRequest(req, { body: false }), { clientAddress: req.socket.remoteAddress })
      .then(async (result) => {
        if (result.response) return sendWebResponse(res, result.response);
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(SECURE_BODY(result.principal.userId)));
      });
  });
  const registered = await auth.handler(
    new Request('http://127.0.0.1/identity/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(REGISTER),
    }),
  );
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status}`);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    accessToken: ((await registered.json()) as { access_token: string }).access_token,
  };
}
