/**
 * Requests Node's HTTP parser refuses before Fastify sees them get the same problem+json, stable code
 * and security headers as every other error (src/http/client-error.ts), over a real socket.
 * @see issue 10, part 3
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../src/http/problem.js';
import { SECURITY_HEADERS } from '../../src/http/plugins/security-headers.js';
import { createTestApp } from '../helpers/test-deps.js';
import { sendRaw, type RawResponse } from '../helpers/raw-http.js';

const HEAD = 'POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n';

function expectRawProblem(
  response: RawResponse,
  status: number,
  code: 'invalid_request' | 'headers_too_large',
) {
  expect(response.status, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(response.headers.connection).toBe('close');
  for (const [name, value] of Object.entries(SECURITY_HEADERS))
    expect(response.headers[name], name).toBe(value);
  expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.body));
  const body = JSON.parse(response.body) as Record<string, unknown>;
  expect(body).toEqual({
    type: `/problems/${code}`,
    title: PROBLEMS[code].title,
    status,
    detail: expect.any(String),
    code,
  });
  expect(body).not.toHaveProperty('statusCode');
  return body;
}

describe('errors of the HTTP parser', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    ({ app } = await createTestApp());
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(() => app.close());

  it('answers a well-formed request normally over the same raw socket (the control)', async () => {
    const response = await sendRaw(
      port,
      'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    );
    expect(response.status).toBe(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    [
      'Content-Length and Transfer-Encoding together',
      `${HEAD}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      /Transfer-Encoding/,
    ],
    [
      'two Content-Length headers',
      `${HEAD}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
      /Content-Length once/,
    ],
    ['a Content-Length that is not a number', `${HEAD}Content-Length: 2x\r\n\r\n{}`, /Content-Length/],
    [
      'a Transfer-Encoding that does not end with chunked',
      `${HEAD}Transfer-Encoding: gzip\r\n\r\n{}`,
      /Transfer-Encoding/,
    ],
    [
      'a folded header (obs-fold)',
      'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Note: a\r\n  b\r\n\r\n',
      /folded/,
    ],
    [
      'a chunk size that is not hex',
      `${HEAD}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      /chunk size/,
    ],
    ['an invalid method', 'G@T /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', /method/],
    ['bare LF line ends', 'GET /healthz HTTP/1.1\nHost: 127.0.0.1\n\n', /HTTP/],
  ])('answers 400 invalid_request to %s', async (_name, bytes, detail) => {
    const body = expectRawProblem(await sendRaw(port, bytes), 400, 'invalid_request');
    expect(body.detail).toMatch(detail);
  });

  it('answers 431 headers_too_large to header fields over the limit', async () => {
    const bytes = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`;
    expectRawProblem(await sendRaw(port, bytes), 431, 'headers_too_large');
  });

  it('keeps serving after refusing', async () => {
    await sendRaw(port, 'G@T / HTTP/1.1\r\n\r\n');
    const response = await sendRaw(
      port,
      'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    );
    expect(response.status).toBe(200);
  });
});
