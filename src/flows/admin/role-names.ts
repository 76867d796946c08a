/** The shape of a role name (also of stored revocation reasons). */
export const ROLE_SHAPE = /^[a-z][a-z0-9_:.-]{0,63}$/;

/**
 * Deduplicates role names and checks their shape before anything is written, so an admin command
 * never leaves a half-made account behind. A bad name is an operator mistake: TypeError.
 */
export function checkRoleNames(roles: readonly string[]): string[] {
  const unique = [...new Set(roles)];
  if (!unique.every((role) => ROLE_SHAPE.test(role))) {
    throw new TypeError('Roles are lower-case names of at most 64 characters: letters, digits, _ : . -');
  }
  return unique;
}
