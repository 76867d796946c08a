import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { isAuthError, StoreUnavailableError } from '../../errors.js';
import { isOAuthError, OAuthError } from '../../flows/oauth/oauth-error.js';
import type { Logger } from '../../platform/logger.js';
import { REALM } from '../problem.js';

/**
 * Inside the /oauth/* scope every error answers RFC 6749 §5.2 `{error, error_description}`, never
 * problem+json: bad input of any kind is `invalid_request`, an unavailable store is
 * `temporarily_unavailable`, and only a bug is a 500 `server_error` (logged, detail never sent).
 */
export function installOAuthErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error: FastifyError, request, reply) =>
    sendOAuthError(reply, toOAuthError(error, logger, request.url)),
  );
}

export function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  if (error.basicChallenge) reply.header('www-authenticate', `Basic realm="${REALM}", charset="UTF-8"`);
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply
    .code(error.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(
      JSON.stringify({
        error: error.error,
        error_description: error.message,
        ...(error.mfaTicket !== undefined && { mfa_ticket: error.mfaTicket }),
      }),
    );
}

function toOAuthError(error: FastifyError, logger: Logger, url: string): OAuthError {
  if (isOAuthError(error)) return error;
  if (isAuthError(error)) {
    if (error.code === 'rate_limited') {
      return new OAuthError('temporarily_unavailable', 'Too many requests; slow down.', {
        status: 429,
        ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
      });
    }
    if (error.code === 'service_unavailable') return unavailable();
    return new OAuthError('invalid_request', error.message);
  }
  if (error.validation) return new OAuthError('invalid_request', describeValidation(error));
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return new OAuthError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded.');
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new OAuthError('invalid_request', 'The request body is too large.', { status: 413 });
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new OAuthError('invalid_request', 'The request could not be processed.');
  }
  if (error instanceof StoreUnavailableError) {
    const { message } = (error.cause ?? error) as { message?: string };
    logger.warn({ cause: { message }, url: url.split('?')[0] }, 'store unavailable');
    return unavailable();
  }
  logger.error({ err: error, url: url.split('?')[0] }, 'unhandled error at an OAuth endpoint');
  return new OAuthError('server_error', 'An unexpected error occurred.');
}

function unavailable(): OAuthError {
  return new OAuthError('temporarily_unavailable', 'A backing store is unavailable; try again shortly.', {
    retryAfterSeconds: 1,
  });
}

function describeValidation(error: FastifyError): string {
  const first = error.validation?.[0];
  if (first?.keyword === 'required') {
    const missing = (first.params as { missingProperty?: string }).missingProperty ?? '';
    return `The ${missing} parameter is missing.`;
  }
  const name = first?.instancePath.replace(/^\//, '') ?? '';
  if (name !== '' && /^[a-z_]{1,40}$/.test(name)) return `The ${name} parameter is not valid.`;
  return 'The request parameters are not valid.';
}
