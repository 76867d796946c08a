import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireRole } from '../../flows/authenticate/authenticate-access-token.js';
import { authenticateCredential } from '../../flows/authenticate/authenticate-credential.js';
import type { Deps } from '../../flows/deps.js';
import { FlowError } from '../../flows/flow-error.js';
import type { Principal } from '../../flows/authenticate/principal.js';
import { findAccessCredential } from '../credentials.js';
import { checkRouteAuthStrength } from './auth-strength.js';
import { assertCsrfSafe, STATE_CHANGING_METHODS } from './csrf.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    credentialSource: 'header' | 'cookie' | null;
  }
}

/**
 * preHandler: verifies the credential (a JWT access token or a session token) and sets
 * `request.principal`, or answers 401; then applies the route's `config.authStrength` (step-up,
 * plugins/auth-strength.ts), so a sensitive route cannot forget it.
 */
export function requireAuth(deps: Deps) {
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const credential = findAccessCredential(request);
    if (credential === undefined)
      throw new FlowError('unauthenticated', 'Send an access token: Authorization: Bearer <token>.');
    if (credential.source === 'cookie' && STATE_CHANGING_METHODS.has(request.method))
      assertCsrfSafe(request, deps.config);
    const principal = await authenticateCredential(deps, {
      token: credential.token,
      declaredKind: credential.source === 'header' ? 'unknown' : credential.cookie,
    });
    request.principal = principal;
    request.credentialSource = credential.source;
    await checkRouteAuthStrength(deps, request, principal);
  };
}

/** preHandler after requireAuth: answers 403 insufficient_scope without the role. */
export function requireRoleHandler(role: string) {
  return async function checkRole(request: FastifyRequest): Promise<void> {
    requireRole(principalOf(request), role);
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new FlowError('unauthenticated', 'Authentication required.');
  return request.principal;
}
