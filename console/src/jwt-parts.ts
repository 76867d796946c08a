/** Splitting and re-encoding a JWS compact token in the page. Decoding is not verifying. */

export interface JwtParts {
  /** The three base64url segments, as sent. */
  segments: [string, string, string];
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export function base64UrlToBytes(segment: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) throw new TypeError('not base64url');
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

export function bytesToBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decodeJson(segment: string): Record<string, unknown> {
  const value: unknown = JSON.parse(new TextDecoder().decode(base64UrlToBytes(segment)));
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError('not an object');
  return value as Record<string, unknown>;
}

/** The parts of a JWT, or null for anything else (an opaque session token, say). */
export function splitJwt(token: string): JwtParts | null {
  const segments = token.split('.');
  if (segments.length !== 3) return null;
  try {
    return {
      segments: segments as [string, string, string],
      header: decodeJson(segments[0]!),
      payload: decodeJson(segments[1]!),
    };
  } catch {
    return null;
  }
}

/** The same header and signature around another payload: exactly what an attacker would try. */
export function replacePayload(parts: JwtParts, payloadJson: string): string {
  const payload = bytesToBase64Url(new TextEncoder().encode(payloadJson));
  return `${parts.segments[0]}.${payload}.${parts.segments[2]}`;
}
