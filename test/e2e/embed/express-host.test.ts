import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { afterEach, describe, it } from 'vitest';
import {
  createTesseraHandler,
  nodeHandler,
  sendWebResponse,
  toWebRequest,
  type TesseraRuntime,
  type TesseraWeb,
} from '../../../src/index.js';
import { EMBED_CONFIG, embedRuntime, runCookieFlow, runSeedFlow } from './embed-kit.js';

/** The host app of docs/embedding.md ("Express"), with the test's runtime. */
async function createHostApp(runtime: TesseraRuntime) {
  const auth = await createTesseraHandler({ prefix: '/identity', config: EMBED_CONFIG }, runtime);
  const app = express();
  // Before any body parser: Tessera reads its own request bodies.
  app.use('/identity', nodeHandler(auth.handler));
  app.use(express.json());

  const requireAuth =
    (...roles: string[]): RequestHandler =>
    async (req, res, next) => {
      const result = await auth.authenticate(toWebRequest(req, { body: false }), {
        roles,
        clientAddress: req.socket.remoteAddress,
      });
      if (result.response) return sendWebResponse(res, result.response);
      res.locals.principal = result.principal;
      next();
    };

  app.get('/public', (_req, res) => {
    res.json({ hello: 'world' });
  });
  app.get('/api/orders', requireAuth(), (_req, res) => {
    res.json({ orders: [], user: res.locals.principal.userId });
  });
  app.post('/api/orders', requireAuth(), (_req, res) => {
    res.status(201).json({ created: true, user: res.locals.principal.userId });
  });
  app.get('/api/reports', requireAuth('admin'), (_req, res) => {
    res.json({ reports: [] });
  });
  return { app, auth };
}

describe('Tessera as a Web handler inside an Express app, over loopback', () => {
  const running: Array<{ server: Server; auth: TesseraWeb }> = [];
  const start = async (runtime: TesseraRuntime): Promise<string> => {
    const { app, auth } = await createHostApp(runtime);
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    running.push({ server, auth });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  afterEach(async () => {
    for (const { server, auth } of running.splice(0)) {
      server.closeAllConnections();
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
