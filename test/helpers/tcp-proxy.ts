/**
 * A TCP proxy on loopback that a test controls: put it between a server and PostgreSQL or Redis, then
 * `cut()` to simulate the service going away (listener closed, every piped connection destroyed, new
 * connections refused) and `restore()` to bring it back on the same port. The real services are never
 * stopped, so other test files keep using them undisturbed.
 */
import { createServer, Socket, type Server } from 'node:net';

export interface TcpProxy {
  /** The loopback port to connect to instead of the target's. */
  readonly port: number;
  /** Whether the proxy is currently accepting and piping. */
  readonly up: boolean;
  /** Closes the listener and destroys every piped socket (both ends); resolves once closed. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /** Cuts for good. */
  close(): Promise<void>;
  /**
   * A silent cut: the connections stay open but nothing passes either way (held, not lost) until
   * `resume()`, as when a network partition swallows packets without a reset.
   */
  stall(): void;
  /** Delivers what was held and forwards again. */
  resume(): void;
  /**
   * Resolves when a chunk sent towards the target matches; that chunk (and everything after it) is held
   * as by stall(), so the command is in flight but never arrives: the test then cuts or kills.
   */
  trap(match: (chunk: Buffer) => boolean): Promise<void>;
}

export interface TcpProxyOptions {
  targetPort: number;
  targetHost?: string;
  /** Port to listen on; 0 (the default) picks a free one, kept across cut/restore. */
  port?: number;
}

const LOOPBACK = '127.0.0.1';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ host: LOOPBACK, port, exclusive: true }, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('tcp proxy: no port'));
      else resolve(address.port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) resolve();
    else server.close(() => resolve());
  });
}

export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const targetHost = options.targetHost ?? LOOPBACK;
  const sockets = new Set<Socket>();
  let up = false;
  let closed = false;
  let stalled = false;
  /** Chunks held while stalled, in order, with the socket each is for. */
  let held: { to: Socket; chunk: Buffer }[] = [];
  let traps: { match: (chunk: Buffer) => boolean; spring: () => void }[] = [];

  const forward = (from: Socket, to: Socket, towardsTarget: boolean) => {
    from.on('data', (chunk: Buffer) => {
      const sprung = towardsTarget ? traps.filter((t) => t.match(chunk)) : [];
      if (sprung.length > 0) {
        stalled = true;
        traps = traps.filter((t) => !sprung.includes(t));
        for (const t of sprung) t.spring();
      }
      if (stalled) held.push({ to, chunk });
      else to.write(chunk);
    });
  };

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const pipeConnection = (client: Socket) => {
    if (!up) {
      client.destroy();
      return;
    }
    track(client);
    const upstream = new Socket();
    track(upstream);
    // Either side failing or ending tears down both: a cut service looks like a reset connection.
    const teardown = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', teardown);
    upstream.on('error', teardown);
    client.on('close', teardown);
    upstream.on('close', teardown);
    upstream.connect({ host: targetHost, port: options.targetPort });
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    forward(client, upstream, true);
    forward(upstream, client, false);
  };

  const makeServer = () => {
    const server = createServer(pipeConnection);
    server.on('error', () => {}); // a late error after close must not crash the test process
    return server;
  };

  let server = makeServer();
  const port = await listen(server, options.port ?? 0);
  up = true;

  const cut = async () => {
    if (!up) return;
    up = false;
    const closing = closeServer(server);
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    held = [];
    stalled = false;
    await closing;
  };

  return {
    port,
    get up() {
      return up;
    },
    cut,
    async restore() {
      if (closed) throw new Error('tcp proxy: closed for good');
      if (up) return;
      server = makeServer();
      // The port was just freed; on a busy machine another socket could take it, so retry briefly.
      const deadline = Date.now() + 2_000;
      for (;;) {
        try {
          await listen(server, port);
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20));
          server = makeServer();
        }
      }
      up = true;
    },
    async close() {
      closed = true;
      await cut();
    },
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      const pending = held;
      held = [];
      for (const { to, chunk } of pending) if (!to.destroyed) to.write(chunk);
    },
    trap(match) {
      return new Promise<void>((resolve) => traps.push({ match, spring: resolve }));
    },
  };
}
