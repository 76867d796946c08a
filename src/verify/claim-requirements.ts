import { AuthError } from '../errors.js';
import type { AuthenticationRequirement } from '../token/step-up.js';

/**
 * Roles and scopes a route asks of a verified token, and (RFC 9470 step-up) how strong and how
 * recent the sign-in behind it must be: `acr` (one of ACR_LEVELS, or stronger) and `maxAgeSeconds`
 * (from `auth_time`). Roles and scopes are checked first: a new sign-in would not grant a role.
 */
export interface ClaimRequirements extends AuthenticationRequirement {
  /** Every one of these must be in the token's `roles` array. */
  roles?: readonly string[];
  /** Every one of these must be in the token's space-delimited `scope` (RFC 9068 §2.2.3). */
  scopes?: readonly string[];
}

/** Throws `insufficient_scope` unless the claims' `roles` array holds every role asked for. */
export function requireRoles(claims: Readonly<Record<string, unknown>>, roles: readonly string[]): void {
  const held = claims.roles;
  const have = Array.isArray(held) ? held.filter((role): role is string => typeof role === 'string') : [];
  if (!roles.every((role) => have.includes(role)))
    throw new AuthError('insufficient_scope', 'The token lacks a role this resource requires.');
}

/** Throws `insufficient_scope` unless the claims' `scope` string holds every scope asked for. */
export function requireScopes(claims: Readonly<Record<string, unknown>>, scopes: readonly string[]): void {
  const held = typeof claims.scope === 'string' ? claims.scope.split(' ').filter((s) => s !== '') : [];
  if (!scopes.every((scope) => held.includes(scope)))
    throw new AuthError('insufficient_scope', 'The token lacks a scope this resource requires.');
}

/** The role and scope checks, as the middlewares apply them per route (the sign-in check is the verifier's). */
export function checkRequirements(
  claims: Readonly<Record<string, unknown>>,
  required: ClaimRequirements,
): void {
  if (required.roles !== undefined && required.roles.length > 0) requireRoles(claims, required.roles);
  if (required.scopes !== undefined && required.scopes.length > 0) requireScopes(claims, required.scopes);
}
