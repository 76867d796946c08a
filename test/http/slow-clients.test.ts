/**
 * Slow and greedy clients over real sockets on 127.0.0.1: a client that trickles its headers or its
 * body is cut off with 408 request_timeout while other clients are served, and beyond
 * TESSERA_MAX_CONNECTIONS new connections are closed until one frees up. Every wait is on a condition
 * with a deadline.
 * @see issue 10, part 3
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { SECURITY_HEADERS } from '../../src/http/plugins/security-headers.js';
import { openSocket, parseRawResponse, readUntilClosed } from '../helpers/raw-http.js';
import { createTestApp } from '../helpers/test-deps.js';

let app: FastifyInstance | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await app?.close();
  app = undefined;
});

async function listen(config: Partial<Config>): Promise<number> {
  ({ app } = await createTestApp({ config }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as { port: number }).port;
}

async function connectTo(port: number): Promise<Socket> {
  const socket = await openSocket(port);
  sockets.push(socket);
  return socket;
}

/** Writes one byte of `text` every 100 ms, looping, until the socket closes: bytes keep coming. */
function drip(socket: Socket, text: string): void {
  let next = 0;
  const timer = setInterval(() => {
    if (!socket.writable) return;
    socket.write(text[next % text.length]!);
    next++;
  }, 100);
  socket.once('close', () => clearInterval(timer));
}

async function expectServed(port: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: 'close' } });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

async function expectCutOff(socket: Socket, startedAt: number, port: number): Promise<void> {
  let open = true;
  const closed = readUntilClosed(socket, 15_000).finally(() => (open = false));
  // Another client is served while the slow one holds its connection (asked before it is cut off).
  expect(open).toBe(true);
  await expectServed(port);
  const response = parseRawResponse(await closed);
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1500); // the 2 s timeout (less client-side lag), not an instant refusal
  expect(response.status).toBe(408);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(response.headers[name]).toBe(value);
  expect(JSON.parse(response.body)).toMatchObject({ code: 'request_timeout', status: 408 });
  await expectServed(port);
}

describe('slow clients', () => {
  it('cuts off a client that trickles its header fields (slowloris)', async () => {
    const port = await listen({ headersTimeoutSeconds: 2, requestTimeoutSeconds: 3 });
    const slow = await connectTo(port);
    const startedAt = Date.now();
    slow.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    drip(slow, 'X-Slow: aaaaaaaa\r\n');
    await expectCutOff(slow, startedAt, port);
  });

  it('cuts off a client that trickles its body, one byte at a time', async () => {
    const port = await listen({ headersTimeoutSeconds: 2, requestTimeoutSeconds: 3 });
    const slow = await connectTo(port);
    const startedAt = Date.now();
    slow.write(
      'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n',
    );
    drip(slow, '{"email":"a@example.com"}');
    await expectCutOff(slow, startedAt, port);
  });
});

describe('TESSERA_MAX_CONNECTIONS', () => {
  it('closes connections beyond the limit until one frees up', async () => {
    const port = await listen({ maxConnections: 2 });
    const first = await connectTo(port);
    await connectTo(port);
    await waitFor(async () => (await openConnections()) === 2);

    const third = await connectTo(port);
    const answer = await readUntilClosed(third, 10_000); // closed by the server, unread
    expect(answer).toBe('');

    first.destroy();
    await waitFor(async () => (await openConnections()) === 1);
    await expectServed(port);
  });
});

function openConnections(): Promise<number> {
  return new Promise((resolve, reject) =>
    app!.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

async function waitFor(condition: () => Promise<boolean>, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
