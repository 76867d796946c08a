import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  classifyClientError,
  createClientErrorHandler,
  rawProblemResponse,
} from '../../../src/http/client-error.js';
import { createSilentLogger } from '../../../src/platform/logger.js';
import { parseRawResponse } from '../../helpers/raw-http.js';

const parserError = (code: string) => Object.assign(new Error('Parse Error'), { code });

describe('classifyClientError', () => {
  it.each([
    ['ERR_HTTP_REQUEST_TIMEOUT', 'request_timeout'],
    ['HPE_HEADER_OVERFLOW', 'headers_too_large'],
    ['HPE_INVALID_TRANSFER_ENCODING', 'invalid_request'],
    ['HPE_SOMETHING_NEW', 'invalid_request'],
  ])('maps %s to %s', (nodeCode, code) => {
    expect(classifyClientError(parserError(nodeCode)).code).toBe(code);
  });

  it('never echoes the parser message (its wording is not an API)', () => {
    const error = Object.assign(new Error('Parse Error: secret-looking bytes'), { code: 'HPE_WHATEVER' });
    expect(classifyClientError(error).detail).not.toContain('secret');
  });
});

describe('rawProblemResponse', () => {
  it('writes a 408 problem a client can parse', () => {
    const response = parseRawResponse(rawProblemResponse('request_timeout', 'Too slow.'));
    expect(response.status).toBe(408);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'request_timeout', status: 408 });
  });
});

describe('the clientError handler', () => {
  const handler = createClientErrorHandler(createSilentLogger());

  it('writes nothing over a response already under way, and closes the socket', () => {
    const socket = Object.assign(new PassThrough(), { _httpMessage: { headersSent: true } });
    const written: unknown[] = [];
    socket.on('data', (chunk) => written.push(chunk));
    handler(parserError('HPE_INVALID_CHUNK_SIZE'), socket);
    expect(written).toEqual([]);
    expect(socket.destroyed).toBe(true);
  });

  it('does nothing on a reset connection', () => {
    const socket = new PassThrough();
    handler(parserError('ECONNRESET'), socket);
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });
});
