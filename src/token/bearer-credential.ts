import { AuthError } from '../errors.js';

/**
 * How a request presents an access token, read the one way for the server (http/) and for resource
 * servers (verify/), so both refuse the same requests for the same reason. What a refusal answers is
 * decided in bearer-refusal.ts.
 */

/**
 * RFC 6750 §2.1: `Bearer`, one or more spaces, then one b64token (the scheme name is case-insensitive,
 * RFC 9110 §11.1).
 */
const BEARER_CREDENTIAL = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const BEARER_SCHEME = /^Bearer(\s|$)/i;

/** The RFC 6750 §2.3 query parameter; refused everywhere (§5.3: URLs end up in logs and Referer headers). */
export const QUERY_TOKEN_PARAMETERS: readonly string[] = Object.freeze(['access_token']);

/**
 * The request is malformed as far as its access credential goes (RFC 6750 §3.1 `invalid_request`):
 * a Bearer header that is not one b64token, several Authorization headers, or a token in the query
 * string. Answered 400 with a Bearer challenge, unlike other `invalid_request`s (a body that does not
 * fit its schema says nothing about the credential).
 */
export class MalformedCredentialError extends AuthError {
  declare readonly code: 'invalid_request';

  constructor(message: string) {
    super('invalid_request', message);
    this.name = 'MalformedCredentialError';
  }
}

/** The token of a well-formed Bearer credential, else undefined. */
export function bearerTokenOf(authorization: string): string | undefined {
  return BEARER_CREDENTIAL.exec(authorization)?.[1];
}

/** True when the header names the Bearer scheme at all (well formed or not). */
export function namesBearerScheme(authorization: string): boolean {
  return BEARER_SCHEME.test(authorization);
}

/** Every Authorization field value of a request, in order, from Node's `rawHeaders` (name, value, …). */
export function authorizationValues(rawHeaders: readonly string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    if (rawHeaders[i]!.toLowerCase() === 'authorization') values.push(rawHeaders[i + 1]!);
  return values;
}

/**
 * The Bearer token the Authorization header carries, or undefined when it carries none: no header,
 * or another scheme (`Basic …`), which RFC 6750 §3.1 treats as a request without authentication
 * information. Throws MalformedCredentialError for a Bearer credential that is not one b64token
 * (nothing after `Bearer`, two tokens, a character outside the grammar, padding inside the token)
 * and for several Authorization headers (which one counts would be a guess; Node keeps only the
 * first in `headers`, so pass `rawHeaders` through authorizationValues).
 */
export function readBearerCredential(
  authorization: string | readonly string[] | undefined,
): string | undefined {
  const values = typeof authorization === 'string' ? [authorization] : (authorization ?? []);
  if (values.length > 1) throw new MalformedCredentialError('Send exactly one Authorization header.');
  const header = values[0];
  if (header === undefined || header === '' || !namesBearerScheme(header)) return undefined;
  const token = bearerTokenOf(header);
  if (token !== undefined) return token;
  if (/^Bearer\s*$/i.test(header))
    throw new MalformedCredentialError('The Bearer credential carries no token.');
  throw new MalformedCredentialError(
    'The Bearer credential is not one token of the b64token syntax (RFC 6750 section 2.1).',
  );
}

/**
 * Refuses a request whose query string names a token parameter (RFC 6750 §2.3 `access_token`, plus
 * whatever names the caller adds), present with a value or not: a token there has already leaked
 * into logs, and next to a header it would be a second method (§3.1).
 */
export function refuseQueryToken(
  requestTarget: string,
  parameters: readonly string[] = QUERY_TOKEN_PARAMETERS,
): void {
  const start = requestTarget.indexOf('?');
  if (start === -1) return;
  const query = new URLSearchParams(requestTarget.slice(start + 1));
  if (parameters.some((name) => query.has(name)))
    throw new MalformedCredentialError(
      'Tokens are never accepted in the query string; send Authorization: Bearer <token>.',
    );
}
