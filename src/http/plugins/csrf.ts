import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config/types.js';
import type { Random } from '../../platform/random.js';
import { readCookie } from '../cookies.js';
import { HttpError } from '../http-error.js';

export const CSRF_HEADER = 'x-csrf-token';

/**
 * Methods that change state: a cookie credential on them must pass the CSRF check (requireAuth), and
 * they are the methods Fastify reads a request body for (so 413 and 415 can follow, openapi-responses.ts).
 */
export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A fresh double-submit token (192 bits) for the CSRF cookie, set at every cookie sign-in. */
export function newCsrfToken(random: Random): string {
  return Buffer.from(random.bytes(24)).toString('base64url');
}

/**
 * The browser must say the request is not cross-site. Sec-Fetch-Site (sent by every current browser)
 * must be same-origin or none — or same-site when the Origin is one of the configured CORS origins
 * (an app on a sibling subdomain); cross-site is always refused (SameSite cookies would not be sent
 * anyway). An Origin header, when present, must be this server's or a configured one. A request with
 * neither header does not come from a web page, which is what CSRF needs, so it passes this check;
 * the double-submit token below still applies to state changes.
 */
export function assertSameOrigin(request: FastifyRequest, config: Config): void {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const listedOrigin = origin !== undefined && config.corsOrigins.includes(origin);
  if (
    site !== undefined &&
    site !== 'same-origin' &&
    site !== 'none' &&
    !(site === 'same-site' && listedOrigin)
  ) {
    throw new HttpError('csrf_rejected', 'Cross-site requests cannot use cookie credentials.');
  }
  if (origin !== undefined && origin !== ownOrigin(request) && !listedOrigin) {
    throw new HttpError('csrf_rejected', 'The request origin is not allowed.');
  }
}

/**
 * Cookie-authenticated state changes need both the same-origin check and the double-submit token:
 * the X-CSRF-Token header must equal the CSRF cookie, which only a same-origin page can read.
 */
export function assertCsrfSafe(request: FastifyRequest, config: Config): void {
  assertSameOrigin(request, config);
  const header = request.headers[CSRF_HEADER];
  const cookie = readCookie(request, 'csrf');
  if (typeof header !== 'string' || cookie === undefined || !equalStrings(header, cookie)) {
    throw new HttpError('csrf_rejected', 'The X-CSRF-Token header is missing or does not match.');
  }
}

function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function equalStrings(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
