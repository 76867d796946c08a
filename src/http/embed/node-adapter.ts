import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { WebHandler } from './web-handler.js';

/** Express keeps the path before its mount point in originalUrl; plain Node has only url. */
type NodeRequest = IncomingMessage & { originalUrl?: string };

/**
 * A Node request as a Web Request. `body: false` leaves the body unread, for authenticate() in front of
 * a route whose body the host's own parser reads.
 */
export function toWebRequest(request: NodeRequest, options: { body?: boolean } = {}): Request {
  const scheme = (request.socket as TLSSocket).encrypted === true ? 'https' : 'http';
  const url = new URL(
    request.originalUrl ?? request.url ?? '/',
    `${scheme}://${request.headers.host ?? 'localhost'}`,
  );
  const headers = new Headers();
  const raw = request.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (!raw[i]!.startsWith(':')) headers.append(raw[i]!, raw[i + 1]!);
  const method = request.method ?? 'GET';
  const withBody = options.body !== false && method !== 'GET' && method !== 'HEAD';
  return new Request(url, {
    method,
    headers,
    ...(withBody ? { body: Readable.toWeb(request) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

/** Writes a Web Response to a Node response, each Set-Cookie as its own header line. */
export async function sendWebResponse(response: ServerResponse, answer: Response): Promise<void> {
  response.statusCode = answer.status;
  answer.headers.forEach((value, name) => {
    if (name !== 'set-cookie') response.setHeader(name, value);
  });
  const cookies = answer.headers.getSetCookie();
  if (cookies.length > 0) response.setHeader('set-cookie', cookies);
  response.end(answer.body === null ? undefined : Buffer.from(await answer.arrayBuffer()));
}

/**
 * A Web handler as Node middleware (`(req, res, next)`), for Express or node:http: mount it before any
 * body parser, which would consume the body Tessera reads. The client address is the socket's.
 *
 * @example
 * app.use('/identity', nodeHandler(auth.handler)); // Express, before express.json()
 * createServer(nodeHandler(auth.handler)).listen(3000); // node:http
 */
export function nodeHandler(handler: WebHandler) {
  return (request: NodeRequest, response: ServerResponse, next?: (error: unknown) => void): void => {
    handler(toWebRequest(request), { clientAddress: request.socket.remoteAddress })
      .then((answer) => sendWebResponse(response, answer))
      .catch((error: unknown) => {
        if (next !== undefined) return next(error);
        response.statusCode = 500;
        response.end();
      });
  };
}
