/**
 * Server examples (decision 0034): a TypeScript block that starts a server (`.listen(`, `serve(`) is
 * run as a server. It gets a free loopback port in PORT and its own temporary SQLite database in
 * TESSERA_DATABASE_URL (the example reads both from the environment, as a reader's app would); the
 * test waits until the port accepts connections (with a deadline), runs a short seed flow against it
 * (register and login under the block's Tessera prefix, then the app's protected GET /api/orders with
 * the token: 200, without: 401), checks that the example used the database it was given, and stops it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DocTestContext } from './doc-placeholders.js';
import { freePort } from './free-port.js';
import { startProcess, type RunningProcess } from './run-process.js';
import type { BlockModule } from './typescript-blocks.js';

/** The route every server example protects with Tessera. */
export const PROTECTED_ROUTE = '/api/orders';
const ATTEMPTS = 3;

export function startsServer(code: string): boolean {
  return /\.listen\(|\bserve\(/.test(code);
}

/** Where the block mounts Tessera: its `prefix: '…'` option, '' without one. */
export function mountPrefix(code: string): string {
  return /\bprefix:\s*'([^']*)'/.exec(code)?.[1] ?? '';
}

/** Resolves when the example passed the seed flow; rejects with what went wrong and what it printed. */
export async function runServerBlock(
  root: string,
  module: BlockModule,
  context: DocTestContext,
  { listenTimeoutMs = 60_000 } = {},
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-doc-server-'));
    const database = join(dataDir, 'tessera.db');
    const server = startProcess(
      process.execPath,
      ['--import', 'tsx', join(root, 'test/docs/run-block.ts'), module.path, 'serve'],
      { cwd: root, env: serverEnv(port, database, context), timeoutMs: listenTimeoutMs + 60_000 },
    );
    try {
      if (!(await waitForListening(port, server, listenTimeoutMs))) {
        // Another process may have taken the port after freePort() saw it free.
        if (server.output().includes('EADDRINUSE') && attempt < ATTEMPTS) continue;
        const why = server.ended()
          ? 'exited before listening'
          : `did not listen within ${listenTimeoutMs} ms`;
        throw new Error(`the example ${why} on port ${port} (PORT):\n${server.output()}`);
      }
      await runSeedFlow(`http://127.0.0.1:${port}`, mountPrefix(module.block.code)).catch((error: Error) => {
        throw new Error(`${error.message}\nthe example printed:\n${server.output()}`);
      });
      if (!existsSync(database)) {
        throw new Error(`the example did not use the database in TESSERA_DATABASE_URL (${database})`);
      }
      return;
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

function serverEnv(port: number, database: string, context: DocTestContext): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([key]) => !key.startsWith('TESSERA_'));
  return {
    ...Object.fromEntries(inherited),
    PORT: String(port),
    TESSERA_DATABASE_URL: `sqlite:${database}`,
    DOC_TEST_CONTEXT: JSON.stringify(context),
  };
}

/** Polls until the port accepts a connection, the example ends, or the deadline passes. */
async function waitForListening(port: number, server: RunningProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !server.ended()) {
    if (await acceptsConnections(port)) return !server.ended();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function runSeedFlow(origin: string, prefix: string): Promise<void> {
  const account = JSON.stringify({ email: 'shopper@example.com', password: 'a long shopper passphrase' });
  const post = (path: string) =>
    fetch(`${origin}${prefix}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: account,
    });
  await expectStatus(`POST ${prefix}/auth/register`, await post('/auth/register'), 201);
  const login = await post('/auth/login');
  const { access_token: token } = (await expectStatus(`POST ${prefix}/auth/login`, login, 200)) as {
    access_token?: unknown;
  };
  if (typeof token !== 'string') throw new Error(`POST ${prefix}/auth/login gave no access_token`);
  const authorized = await fetch(`${origin}${PROTECTED_ROUTE}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await expectStatus(`GET ${PROTECTED_ROUTE} with the token`, authorized, 200);
  await expectStatus(
    `GET ${PROTECTED_ROUTE} without a token`,
    await fetch(`${origin}${PROTECTED_ROUTE}`),
    401,
  );
}

async function expectStatus(step: string, response: Response, status: number): Promise<unknown> {
  const text = await response.text();
  if (response.status !== status) {
    throw new Error(`${step} answered ${response.status}, expected ${status}: ${text}`);
  }
  return text === '' ? null : (JSON.parse(text) as unknown);
}
