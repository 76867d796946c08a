/**
 * RFC 6750 §2.1: `Bearer`, one or more spaces, then one b64token (the scheme name is case-insensitive,
 * RFC 9110 §11.1). Here, below both the server (http/) and resource servers (verify/), so both read an
 * Authorization header by the same grammar; what a mismatch means is each caller's answer.
 */
const BEARER_CREDENTIAL = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The token of a well-formed Bearer credential, else undefined. */
export function bearerTokenOf(authorization: string): string | undefined {
  return BEARER_CREDENTIAL.exec(authorization)?.[1];
}

/** True when the header names the Bearer scheme at all (well formed or not). */
export function namesBearerScheme(authorization: string): boolean {
  return /^Bearer(\s|$)/i.test(authorization);
}
