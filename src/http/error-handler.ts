import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isAuthError, StoreUnavailableError } from '../errors.js';
import { bearerRefusalOf, stepUpChallengeOf } from '../token/bearer-refusal.js';
import type { Logger } from '../platform/logger.js';
import { SECURITY_HEADERS } from './plugins/security-headers.js';
import { sendProblem } from './problem.js';
import { isMfaRequired } from '../flows/mfa/mfa-required-error.js';

/** Fastify's own client-error codes, each answered with the matching problem instead of its default body. */
const FASTIFY_CLIENT_ERRORS: Record<
  string,
  'payload_too_large' | 'unsupported_media_type' | 'invalid_request'
> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_request',
};

/**
 * Every error ends here: domain errors map through PROBLEMS, schema and parser errors become 4xx, and
 * anything unexpected becomes a 500 with a generic message (the cause is logged, never sent).
 */
export function installErrorHandlers(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler(createErrorAnswer(logger));
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, 'not_found', 'No such endpoint.'));
}

/** The error handler's answer; the guards on a host's own routes (http/embed) answer the same way. */
export function createErrorAnswer(logger: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (isAuthError(error)) {
      if (error.code === 'key_invalid' || error.code === 'internal_error')
        logger.error({ err: error }, 'server misconfiguration');
      return sendProblem(request, reply, error.code, error.message, {
        retryAfterSeconds: error.retryAfterSeconds,
        // A malformed credential is an invalid_request that carries a challenge (RFC 6750 §3.1).
        bearerError: bearerRefusalOf(error)?.bearerError,
        stepUp: stepUpChallengeOf(error),
        extensions: problemExtensionsOf(error),
      });
    }
    if (error.validation) {
      return sendProblem(request, reply, 'invalid_request', describeValidation(error));
    }
    const mapped = error.code === undefined ? undefined : FASTIFY_CLIENT_ERRORS[error.code];
    if (mapped !== undefined) return sendProblem(request, reply, mapped, clientMessage(mapped));
    if (
      error instanceof SyntaxError ||
      (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500)
    ) {
      return sendProblem(request, reply, 'invalid_request', 'The request could not be processed.');
    }
    if (error instanceof StoreUnavailableError) {
      // One line per request while a store is away: the driver's message and code, not a stack trace.
      const { message, code } = (error.cause ?? error) as { message?: string; code?: unknown };
      logger.warn({ cause: { message, code }, url: request.url.split('?')[0] }, 'store unavailable');
      return sendProblem(
        request,
        reply,
        'service_unavailable',
        'A backing store is unavailable; try again shortly.',
        {
          retryAfterSeconds: 1,
        },
      );
    }
    logger.error({ err: error, url: request.url, method: request.method }, 'unhandled error');
    return sendProblem(request, reply, 'internal_error', 'An unexpected error occurred.');
  };
}

/** The members a problem carries beyond RFC 9457's (decision 0047): the second step's ticket and methods. */
function problemExtensionsOf(error: unknown): Record<string, unknown> | undefined {
  if (!isMfaRequired(error)) return undefined;
  return { mfa_ticket: error.ticket, methods: [...error.methods], expires_in: error.expiresInSeconds };
}

/**
 * Fastify's router refusals (malformed percent-encoding, an over-long path parameter) happen before any
 * hook runs, and its default body echoes the whole URL, query string included. Answered as a problem
 * with the security headers instead; the URL is not repeated beyond the `instance` path.
 */
export function answerFrameworkError(
  _error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  reply.headers(SECURITY_HEADERS);
  return sendProblem(request, reply, 'invalid_request', 'The request URL is not valid.');
}

function describeValidation(error: FastifyError): string {
  const first = error.validation?.[0];
  if (first === undefined) return 'The request is not valid.';
  const where = error.validationContext ?? 'body';
  const path = first.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
  if (first.keyword === 'additionalProperties') {
    const extra = (first.params as { additionalProperty?: string }).additionalProperty ?? '';
    return `Unknown ${where} member "${extra.slice(0, 64).replace(/[^\w.-]/g, '')}".`;
  }
  if (first.keyword === 'required') {
    const missing = (first.params as { missingProperty?: string }).missingProperty ?? '';
    return `Missing ${where} member "${missing}".`;
  }
  return `Invalid ${where}${path ? ` member "${path}"` : ''}: ${first.message ?? 'not valid'}.`;
}

function clientMessage(code: 'payload_too_large' | 'unsupported_media_type' | 'invalid_request'): string {
  switch (code) {
    case 'payload_too_large':
      return 'The request body is too large.';
    case 'unsupported_media_type':
      return 'Send the request body as application/json.';
    case 'invalid_request':
      return 'The request body is not valid JSON.';
  }
}
