import { TokenError } from './errors.js';
import { decodeSegmentText, DEFAULT_MAX_TOKEN_BYTES } from './jws-verify.js';
import { parseJsonObject } from './strict-json.js';

/**
 * Decodes a compact JWT WITHOUT verifying it: for display (the CLI's `token decode`, the console's
 * inspector), never for a decision. Same strict parsing as the verifier.
 */
export function decodeJwtUnverified(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
} {
  if (typeof token !== 'string') throw new TokenError('token_malformed', 'The token is not a string.');
  if (token.length > DEFAULT_MAX_TOKEN_BYTES)
    throw new TokenError('token_too_large', 'The token is too large.');
  const parts = token.split('.');
  if (parts.length !== 3)
    throw new TokenError('token_malformed', 'The token is not a JWS in compact serialization (three parts).');
  const [header, payload, signature] = parts as [string, string, string];
  return {
    header: parseJsonObject(decodeSegmentText(header, 'header'), 'header'),
    payload: parseJsonObject(decodeSegmentText(payload, 'payload'), 'payload'),
    signature,
  };
}
