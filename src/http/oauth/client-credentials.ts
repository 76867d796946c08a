import type { FastifyRequest } from 'fastify';
import type { ClientCredentials } from '../../flows/oauth/client-auth.js';
import { OAuthError } from '../../flows/oauth/oauth-error.js';

const BASIC = /^Basic ([A-Za-z0-9+/]+={0,2})$/i;

/**
 * Reads the client's credentials (RFC 6749 §2.3.1): HTTP Basic with the form-urlencoded client_id and
 * secret, or client_id and client_secret in the body, or a public client's bare client_id. Using two
 * methods at once is `invalid_request` (§2.3); no client at all, or unreadable Basic credentials, is
 * `invalid_client` (401, with a Basic challenge when Basic was tried).
 */
export function readClientCredentials(
  request: FastifyRequest,
  body: Record<string, unknown>,
): ClientCredentials {
  const header = request.headers.authorization;
  const bodyId = typeof body.client_id === 'string' ? body.client_id : undefined;
  const bodySecret = typeof body.client_secret === 'string' ? body.client_secret : undefined;
  if (header !== undefined) {
    const basic = decodeBasic(header);
    if (bodySecret !== undefined) {
      throw new OAuthError(
        'invalid_request',
        'Use one client authentication method, not Basic and client_secret.',
      );
    }
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      throw new OAuthError(
        'invalid_request',
        'The client_id parameter does not match the Basic credentials.',
      );
    }
    return { method: 'client_secret_basic', ...basic };
  }
  if (bodyId === undefined) {
    throw new OAuthError('invalid_client', 'Client authentication is required.', { basicChallenge: true });
  }
  if (bodySecret !== undefined)
    return { method: 'client_secret_post', clientId: bodyId, clientSecret: bodySecret };
  return { method: 'none', clientId: bodyId };
}

function decodeBasic(header: string): { clientId: string; clientSecret: string } {
  const refuse = () =>
    new OAuthError('invalid_client', 'The Authorization header must carry Basic client credentials.', {
      basicChallenge: true,
    });
  const match = BASIC.exec(header);
  if (match === null) throw refuse();
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw refuse();
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw refuse();
  }
}

/** RFC 6749 §2.3.1: both parts are encoded with application/x-www-form-urlencoded first. */
function formDecode(text: string): string {
  return decodeURIComponent(text.replace(/\+/g, ' '));
}
