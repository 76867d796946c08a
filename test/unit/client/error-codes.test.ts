import { describe, expect, it } from 'vitest';
import {
  CLIENT_ERROR_CODES,
  SERVER_ERROR_CODES,
  TesseraError,
  isServerErrorCode,
} from '../../../src/client/index.js';
import { AUTH_ERROR_CODES } from '../../../src/errors.js';
import { errorFromResponse, parseRetryAfter } from '../../../src/client/http-problem.js';

describe('client error codes', () => {
  it('are the server registry itself (src/wire/), not a copy that could drift', () => {
    expect(SERVER_ERROR_CODES).toBe(AUTH_ERROR_CODES);
  });

  it('client-only codes never collide with server codes', () => {
    for (const code of CLIENT_ERROR_CODES) expect(isServerErrorCode(code)).toBe(false);
  });
});

describe('errorFromResponse', () => {
  const problem = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/problem+json', ...headers },
    });

  it('reads the problem+json code, detail and Retry-After', async () => {
    const error = await errorFromResponse(
      problem(429, { code: 'rate_limited', detail: 'Slow down.' }, { 'retry-after': '17' }),
      0,
    );
    expect(error).toBeInstanceOf(TesseraError);
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      message: 'Slow down.',
      retryAfterSeconds: 17,
    });
  });

  it('reads the RFC 6749 `error` member of /oauth/* answers', async () => {
    const error = await errorFromResponse(problem(400, { error: 'invalid_request' }), 0);
    expect(error.code).toBe('invalid_request');
  });

  it.each([
    [502, '<html>Bad gateway</html>', 'unexpected_response'],
    [503, 'down', 'service_unavailable'],
    [429, '', 'rate_limited'],
    [400, JSON.stringify({ code: 'made_up_code' }), 'unexpected_response'],
  ])('an answer without a known code (%i %s) becomes %s', async (status, body, code) => {
    const error = await errorFromResponse(new Response(body, { status }), 0);
    expect(error).toMatchObject({ code, status, retryAfterSeconds: null });
  });

  it('parses Retry-After as seconds or an HTTP date, and ignores garbage', () => {
    const now = Date.UTC(2026, 0, 15, 10, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Thu, 15 Jan 2026 10:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
