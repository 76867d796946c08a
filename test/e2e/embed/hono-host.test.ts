import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { afterEach, describe, it } from 'vitest';
import {
  createTesseraHandler,
  type Principal,
  type TesseraRuntime,
  type TesseraWeb,
} from '../../../src/index.js';
import { EMBED_CONFIG, embedRuntime, runCookieFlow, runSeedFlow } from './embed-kit.js';

/** The host app of docs/embedding.md ("Hono"), with the test's runtime. */
async function createHostApp(runtime: TesseraRuntime) {
  const auth = await createTesseraHandler({ prefix: '/identity', config: EMBED_CONFIG }, runtime);
  const app = new Hono<{ Variables: { principal: Principal } }>();

  app.all('/identity/*', (c) => auth.handler(c.req.raw, { clientAddress: getConnInfo(c).remote.address }));

  const requireAuth = (...roles: string[]) =>
    createMiddleware<{ Variables: { principal: Principal } }>(async (c, next) => {
      const result = await auth.authenticate(c.req.raw, {
        roles,
        clientAddress: getConnInfo(c).remote.address,
      });
      if (result.response) return result.response;
      c.set('principal', result.principal);
      await next();
    });

  app.get('/public', (c) => c.json({ hello: 'world' }));
  app.get('/api/orders', requireAuth(), (c) => c.json({ orders: [], user: c.get('principal').userId }));
  app.post('/api/orders', requireAuth(), (c) =>
    c.json({ created: true, user: c.get('principal').userId }, 201),
  );
  app.get('/api/reports', requireAuth('admin'), (c) => c.json({ reports: [] }));
  return { app, auth };
}

describe('Tessera as a Web handler inside a Hono app, over loopback', () => {
  const running: Array<{ server: ServerType; auth: TesseraWeb }> = [];
  const start = async (runtime: TesseraRuntime): Promise<string> => {
    const { app, auth } = await createHostApp(runtime);
    const { server, port } = await new Promise<{ server: ServerType; port: number }>((resolve) => {
      const listening = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
        resolve({ server: listening, port: info.port }),
      );
    });
    running.push({ server, auth });
    return `http://127.0.0.1:${port}`;
  };
  afterEach(async () => {
    for (const { server, auth } of running.splice(0)) {
      await new Promise((resolve) => server.close(resolve));
      await auth.close();
    }
  });

  it('runs the seed flow', async () => {
    const runtime = embedRuntime();
    await runSeedFlow(await start(runtime), '/identity', runtime.clock);
  }, 60_000);

  it('runs the cookie + CSRF mode', async () => {
    await runCookieFlow(await start(embedRuntime()), '/identity');
  }, 60_000);
});
