import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Random } from '../../platform/random.js';

/**
 * Opaque refresh and session tokens: `<id>.<secret>`, 128-bit id (the store's primary key) and a
 * 256-bit secret of which only SHA-256 is stored. A stolen database row therefore cannot be replayed,
 * and lookup by id plus a constant-time hash compare leaks nothing through timing.
 */
export interface OpaqueToken {
  id: string;
  secret: string;
  token: string;
}

const ID_BYTES = 16;
const SECRET_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

export function generateOpaqueToken(random: Random): OpaqueToken {
  return assemble(Buffer.from(random.bytes(ID_BYTES)), Buffer.from(random.bytes(SECRET_BYTES)));
}

/** Splits a presented token; undefined when it does not have the exact shape Tessera issues. */
export function parseOpaqueToken(token: unknown): { id: string; secret: string } | undefined {
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return undefined;
  const dot = token.indexOf('.');
  return { id: token.slice(0, dot), secret: token.slice(dot + 1) };
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

export function tokenSecretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashTokenSecret(secret), 'base64url');
  const stored = Buffer.from(storedHash, 'base64url');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/**
 * The successor of a refresh token is derived, not drawn: HMAC(server key, presented token). Every
 * instance holding the key computes the same successor for the same presented token, so a retry or a
 * second tab inside the grace window gets the very same successor back although only its hash is
 * stored, and nobody without the server key can compute a successor from a stolen token.
 */
export function deriveSuccessorToken(derivationKey: Uint8Array, presentedToken: string): OpaqueToken {
  const id = createHmac('sha256', derivationKey)
    .update(`id:${presentedToken}`)
    .digest()
    .subarray(0, ID_BYTES);
  const secret = createHmac('sha256', derivationKey).update(`secret:${presentedToken}`).digest();
  return assemble(id, secret);
}

function assemble(id: Buffer, secret: Buffer): OpaqueToken {
  const idText = id.toString('base64url');
  const secretText = secret.toString('base64url');
  return { id: idText, secret: secretText, token: `${idText}.${secretText}` };
}
