import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';

/** What a Web-standard framework knows about the caller beyond the Request itself. */
export interface WebRequestContext {
  /**
   * The client's IP address (Hono: getConnInfo(c).remote.address; Node: req.socket.remoteAddress).
   * Rate limits and the session records use it; without it every caller counts as 127.0.0.1, unless
   * TESSERA_TRUST_PROXY is on and a proxy sends X-Forwarded-For.
   */
  clientAddress?: string;
}

const FORWARDED = ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto'];
const NO_BODY = new Set(['GET', 'HEAD']);

/**
 * A Request as inject() options. The bridge is the proxy in front of Tessera's Fastify instance (which
 * trusts its first hop only, see web-handler.ts): it says the scheme of the Request URL in
 * X-Forwarded-Proto and the client's address as the socket's. Forwarding headers from the client are
 * dropped unless TESSERA_TRUST_PROXY says a proxy in front sets them, exactly as the standalone
 * server would ignore or use them. The body is streamed, so Fastify's body limit applies while reading.
 */
export function toInjectOptions(
  request: Request,
  context: WebRequestContext,
  trustProxy: boolean,
  extraHeaders: Record<string, string> = {},
): InjectOptions {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (trustProxy || !FORWARDED.includes(name)) headers[name] = value;
  });
  headers.host = url.host;
  if (!trustProxy || headers['x-forwarded-proto'] === undefined)
    headers['x-forwarded-proto'] = url.protocol.slice(0, -1);
  const method = request.method.toUpperCase() as InjectOptions['method'];
  const body =
    request.body === null || NO_BODY.has(request.method.toUpperCase())
      ? undefined
      : Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);
  return {
    method,
    url: `${url.pathname}${url.search}`,
    headers: { ...headers, ...extraHeaders },
    remoteAddress: context.clientAddress,
    ...(body === undefined ? {} : { payload: body }),
  };
}

/** Hop-by-hop and framing headers: the framework that sends the Response sets its own. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

/** The injected answer as a Response; Set-Cookie headers stay separate. */
export function toWebResponse(answer: LightMyRequestResponse): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, String(item));
    else headers.set(name, String(value));
  }
  const body = answer.rawPayload.length === 0 ? null : answer.rawPayload;
  return new Response(body, { status: answer.statusCode, headers });
}
