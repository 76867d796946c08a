import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpErrorCode } from '../errors.js';
import type { Logger } from '../platform/logger.js';
import { SECURITY_HEADERS } from './plugins/security-headers.js';
import { problemBody } from './problem.js';

/** What Node's HTTP parser (llhttp) or its timers report on the server's 'clientError' event. */
type ClientError = Error & { code?: string };

/** Refusals of Node's parser (llhttp), by code. */
const PARSER_DETAILS: Readonly<Record<string, string>> = {
  // Node names these by code; llhttp's `reason` wording is not an API, so the details are ours.
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Send Content-Length once (RFC 9112 section 6.3).',
  HPE_INVALID_CONTENT_LENGTH: 'The Content-Length header is not one valid length.',
  HPE_INVALID_TRANSFER_ENCODING:
    'Transfer-Encoding must end with chunked and cannot come with Content-Length (RFC 9112 section 6.3).',
  HPE_INVALID_CHUNK_SIZE: 'A chunk size of the body is not valid.',
  HPE_INVALID_HEADER_TOKEN: 'A header line is not valid (folded headers are not accepted).',
  HPE_INVALID_METHOD: 'The request method is not valid.',
  HPE_INVALID_URL: 'The request target is not valid.',
  HPE_INVALID_VERSION: 'The HTTP version is not valid.',
};

/** The code and detail of an answer to a request Node could not read. */
export function classifyClientError(error: ClientError): { code: HttpErrorCode; detail: string } {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'request_timeout', detail: 'The request did not arrive in time.' };
    case 'HPE_HEADER_OVERFLOW':
      return { code: 'headers_too_large', detail: 'The request header fields are too large.' };
    default:
      return {
        code: 'invalid_request',
        detail: PARSER_DETAILS[error.code ?? ''] ?? 'The request is not well-formed HTTP/1.1.',
      };
  }
}

/** The raw HTTP/1.1 response: problem+json plus the security headers every other answer carries. */
export function rawProblemResponse(code: HttpErrorCode, detail: string): string {
  const problem = problemBody(code, detail);
  const body = JSON.stringify(problem);
  const { status } = problem;
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${lines.join('')}\r\n${body}`;
}

/** How long the answer may take to leave before the socket is destroyed anyway. */
const FLUSH_GRACE_MS = 2_000;

/**
 * Fastify's `clientErrorHandler`: Node's parser refused the request (framing, header syntax, header
 * size) or its timers ran out, before any route, hook or error handler ran. Answers problem+json with
 * a stable code and the security headers (Fastify's default is a bare `{error, message, statusCode}`),
 * unless the socket is gone or a response is already under way on it (as Node's own default does).
 * The connection is closed after the answer: the request framing is lost (decision 0023).
 */
export function createClientErrorHandler(logger: Logger) {
  return function answerClientError(error: ClientError, socket: Duplex): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { code, detail } = classifyClientError(error);
    logger.debug({ code: error.code, answer: code }, 'client error');
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    // end(), not write() + destroy(): destroying with unread bytes in the buffer (an oversized header)
    // sends a reset, which can make the client drop the answer before it reads it.
    socket.end(rawProblemResponse(code, detail));
    setTimeout(() => socket.destroy(), FLUSH_GRACE_MS).unref();
  };
}
