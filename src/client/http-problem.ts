import { isServerErrorCode } from './error-codes.js';
import { stepUpChallengeOf } from './step-up.js';
import { TesseraError, isTesseraError } from './tessera-error.js';

/**
 * Turns a failed answer into a TesseraError with the server's `code` (RFC 9457 problem+json, or the
 * RFC 6749 `error` member of /oauth/*). An answer without a known code keeps its status and becomes
 * `unexpected_response`; `Retry-After` (seconds or an HTTP date) is kept for the back-off. A step-up
 * challenge (RFC 9470) is `insufficient_user_authentication` with its `acrValues` and `maxAgeSeconds`,
 * also from an API that sends the header but no problem body.
 */
export async function errorFromResponse(response: Response, nowMs: number): Promise<TesseraError> {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = await response.json();
    if (typeof parsed === 'object' && parsed !== null) body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page): the status still says what happened.
  }
  const stepUp = stepUpChallengeOf(response);
  const code = stepUp
    ? ('insufficient_user_authentication' as const)
    : isServerErrorCode(body.code)
      ? body.code
      : isServerErrorCode(body.error)
        ? body.error
        : null;
  const detail = typeof body.detail === 'string' ? body.detail : `The server answered ${response.status}.`;
  return new TesseraError({
    code: code ?? fallbackCode(response.status),
    status: response.status,
    message: detail,
    retryAfterSeconds: parseRetryAfter(response.headers.get('retry-after'), nowMs),
    stepUp,
  });
}

function fallbackCode(status: number) {
  if (status === 429) return 'rate_limited' as const;
  if (status === 503) return 'service_unavailable' as const;
  return 'unexpected_response' as const;
}

export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

export function networkError(cause: unknown): TesseraError {
  return new TesseraError({
    code: 'network_error',
    status: 0,
    message: 'The server could not be reached.',
    cause,
  });
}

/** RFC 6750 §3.1: the token itself is the problem (expired, revoked, bad), so a new one may help. */
export function isInvalidTokenChallenge(response: Response): boolean {
  if (response.status !== 401) return false;
  return /error="?invalid_token"?/.test(response.headers.get('www-authenticate') ?? '');
}

/** Network failures, 5xx and 429 say nothing about the credential: keep the session and back off. */
export function isTransient(error: TesseraError): boolean {
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

export async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch (error) {
    throw new TesseraError({
      code: 'unexpected_response',
      status: response.status,
      message: 'The server answered with something that is not JSON.',
      cause: error,
    });
  }
}

export function asTesseraError(error: unknown): TesseraError {
  if (isTesseraError(error)) return error;
  return new TesseraError({
    code: 'unexpected_response',
    status: 0,
    message: 'Unexpected failure.',
    cause: error,
  });
}

export function notSignedIn(): TesseraError {
  return new TesseraError({ code: 'unauthenticated', status: 401, message: 'Not signed in.' });
}
