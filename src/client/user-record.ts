import { TesseraError } from './tessera-error.js';
import type { User } from './types.js';

/**
 * The `user` of a /auth/me body. Anything without an object carrying a string `id` is not the
 * documented answer (a proxy, an older server): an `unexpected_response`, never a state change.
 */
export function userFromBody(body: unknown): User {
  const user = typeof body === 'object' && body !== null ? (body as { user?: unknown }).user : undefined;
  if (typeof user === 'object' && user !== null && typeof (user as { id?: unknown }).id === 'string') {
    return user as User;
  }
  throw new TesseraError({
    code: 'unexpected_response',
    status: 200,
    message: 'The server answered /auth/me without a user.',
  });
}

/** Deep equality of two JSON values (a user as the server sent it: members it adds count too). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  return keysA.every((key) => Object.hasOwn(recordB, key) && sameJson(recordA[key], recordB[key]));
}
