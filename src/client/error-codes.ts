import { AUTH_ERROR_CODES, type AuthErrorCode } from '../wire/error-codes.js';

/** The server's error codes (docs/errors.md): the wire registry itself, not a copy. */
export const SERVER_ERROR_CODES = AUTH_ERROR_CODES;

/**
 * Codes only the SDK raises: `network_error` (fetch itself failed: offline, DNS, CORS),
 * `unexpected_response` (an answer that is not the documented JSON, e.g. a proxy's HTML error page).
 */
export const CLIENT_ERROR_CODES = ['network_error', 'unexpected_response'] as const;

export type ServerErrorCode = AuthErrorCode;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];
export type TesseraErrorCode = ServerErrorCode | ClientErrorCode;

const known: ReadonlySet<string> = new Set<string>(SERVER_ERROR_CODES);

export function isServerErrorCode(value: unknown): value is ServerErrorCode {
  return typeof value === 'string' && known.has(value);
}
