import type { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';

/**
 * Bounds the turns spent taking in connections that waited in the listen backlog: Node 20 accepts one
 * per event-loop turn, and the backlog holds at most 511 (Node's default), so a backlog full at the
 * signal is taken in before the bound while a stream of new clients cannot hold the shutdown open.
 */
const MAX_ACCEPT_TURNS = 1024;

/** How often connections that finished their last response are closed while draining. */
const IDLE_SWEEP_MS = 100;

/**
 * Stops accepting, answers every request that reached the server before this call in full (not with
 * a 503 or a reset), then resolves once every connection has ended.
 *
 * A request has reached the server once its connection is established and its bytes are in the
 * kernel, but Node sees it only when its event loop polls, and on a busy machine the server may not
 * have run since. Closing the listener at once would have the kernel reset the connections still in
 * the backlog, and `server.close()` would drop as idle every accepted connection whose bytes Node has
 * not read yet. So the loop keeps turning while connections are being accepted, plus one turn to read
 * the last one's request; only then does the app close.
 */
export async function closeHttpGracefully(app: FastifyInstance): Promise<void> {
  await takeInArrivedConnections(app.server);
  // close() ends the connections idle at that moment; a keep-alive connection whose request finishes
  // later would hold the server open until its timeout. Closing idle connections as they appear ends
  // each one right after its response.
  const sweep = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}

/**
 * Turns the event loop until a turn sees no `connection` event (at least two turns: the signal may
 * have been handled in the same poll as the listener became ready). The turn after an accept reads
 * that connection's bytes, so its request has begun and the server no longer counts it as idle.
 * Exported for its unit test.
 */
export async function takeInArrivedConnections(server: EventEmitter): Promise<void> {
  let accepted = false;
  const onConnection = () => {
    accepted = true;
  };
  server.on('connection', onConnection);
  try {
    for (let turn = 0; turn < MAX_ACCEPT_TURNS && (turn < 2 || accepted); turn += 1) {
      accepted = false;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    server.off('connection', onConnection);
  }
}
