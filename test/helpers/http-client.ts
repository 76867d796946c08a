/**
 * A small JSON client over node:http for tests against spawned servers. It can pick the client's
 * source address inside 127.0.0.0/8 (`ip`), so per-IP rate limits can be exercised from one machine
 * without trusting X-Forwarded-For, and keeps connections alive (so polling every few ms is cheap).
 */
import { Agent, request } from 'node:http';
import { assertServerConforms } from './openapi-conformance-recorder.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> | null;
  /** The raw body, for failure messages. */
  text: string;
}

export interface CallOptions {
  body?: unknown;
  token?: string;
  /** Source address on loopback, e.g. 127.0.3.7; default 127.0.0.1. */
  ip?: string;
  /** Gives up (rejects) after this long; default 10 s. */
  timeoutMs?: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function call(
  base: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const url = new URL(path, base);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        localAddress: options.ip ?? '127.0.0.1',
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: Record<string, unknown> | null = null;
          if (text !== '') {
            try {
              body = JSON.parse(text) as Record<string, unknown>;
            } catch {
              body = null;
            }
          }
          const reply = { status: res.statusCode ?? 0, headers: res.headers, body, text };
          // Every answer is checked against the server's /openapi.json (a drift fails the test).
          const exchange = { method, url: path, status: reply.status, headers: res.headers, body: text };
          assertServerConforms(url.origin, exchange).then(() => resolve(reply), reject);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in time`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Closes idle keep-alive sockets (afterAll). */
export function closeIdleConnections(): void {
  agent.destroy();
}

/** Unique loopback source addresses: 127.<n>.x.y with a random second octet per test file. */
export function createIpAllocator(): () => string {
  const second = 10 + Math.floor(Math.random() * 240);
  let next = 1;
  return () => {
    const n = next++;
    return `127.${second}.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
  };
}
