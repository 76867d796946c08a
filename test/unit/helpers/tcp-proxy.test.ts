/** The fault-injection proxy the multi-instance tests put between Tessera and PostgreSQL/Redis. */
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An upper-casing echo server on loopback. */
async function startEchoServer(): Promise<{ port: number; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => socket.write(chunk.toString('utf8').toUpperCase()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as { port: number }).port, server };
}

async function proxyTo(targetPort: number): Promise<TcpProxy> {
  const proxy = await startTcpProxy({ targetPort });
  cleanups.push(() => proxy.close());
  return proxy;
}

/** Connects, sends `text`, resolves with the first reply (or rejects when the socket fails or closes). */
function roundTrip(port: number, text: string): Promise<{ reply: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    cleanups.push(async () => void socket.destroy());
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed before a reply')));
    socket.once('connect', () => socket.write(text));
    socket.once('data', (chunk: Buffer) => resolve({ reply: chunk.toString('utf8'), socket }));
  });
}

function closed(socket: Socket): Promise<void> {
  return socket.destroyed ? Promise.resolve() : once(socket, 'close').then(() => undefined);
}

describe('startTcpProxy', () => {
  it('pipes bytes both ways to the target', async () => {
    const echo = await startEchoServer();
    const proxy = await proxyTo(echo.port);
    expect(proxy.port).not.toBe(echo.port);
    expect(proxy.up).toBe(true);
    const { reply, socket } = await roundTrip(proxy.port, 'hello');
    expect(reply).toBe('HELLO');
    socket.write('again');
    const [second] = (await once(socket, 'data')) as [Buffer];
    expect(second.toString('utf8')).toBe('AGAIN');
  });

  it('cut() destroys open connections and refuses new ones; restore() serves again on the same port', async () => {
    const echo = await startEchoServer();
    const proxy = await proxyTo(echo.port);
    const { socket } = await roundTrip(proxy.port, 'one');
    socket.on('error', () => {});
    const wasClosed = closed(socket);

    await proxy.cut();
    expect(proxy.up).toBe(false);
    await wasClosed;
    await expect(roundTrip(proxy.port, 'two')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await proxy.cut(); // idempotent

    await proxy.restore();
    expect(proxy.up).toBe(true);
    expect((await roundTrip(proxy.port, 'three')).reply).toBe('THREE');
    await proxy.restore(); // idempotent
    expect((await roundTrip(proxy.port, 'four')).reply).toBe('FOUR');
  });

  it('closes the client side when the target is down', async () => {
    const echo = await startEchoServer();
    const targetPort = echo.port;
    await new Promise<void>((resolve) => echo.server.close(() => resolve()));
    const proxy = await proxyTo(targetPort);
    await expect(roundTrip(proxy.port, 'anyone?')).rejects.toThrow();
  });

  it('close() is final', async () => {
    const echo = await startEchoServer();
    const proxy = await proxyTo(echo.port);
    await proxy.close();
    await expect(proxy.restore()).rejects.toThrow(/closed for good/);
    await expect(roundTrip(proxy.port, 'x')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
