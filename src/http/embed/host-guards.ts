import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import { FlowError } from '../../flows/flow-error.js';
import type { Principal } from '../../flows/authenticate/principal.js';
import { principalOf, requireAuth } from '../plugins/authenticate.js';
import { createErrorAnswer } from '../error-handler.js';

// Declared here, beside the type the package exports, so a host's TypeScript sees them.
declare module 'fastify' {
  interface FastifyInstance {
    /** Tessera's guards for the host's own routes: `{ preHandler: app.tessera.requireAuth }`. */
    tessera: TesseraGuards;
  }
  interface FastifyRequest {
    /** The verified caller, set by requireAuth / requireRoles; null on routes without them. */
    principal: Principal | null;
  }
}

/** A preHandler for the host's own routes. */
export type HostGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** What `app.tessera` offers the host's routes (decorated by the tessera() plugin). */
export interface TesseraGuards {
  /**
   * preHandler: verifies the access token or session token (Authorization header or cookie, with the
   * CSRF checks for cookie-authenticated state changes) and sets `request.principal`; else answers 401.
   */
  requireAuth: HostGuard;
  /** preHandler: as requireAuth, then answers 403 insufficient_scope unless the user has every role. */
  requireRoles(...roles: string[]): HostGuard;
}

/**
 * The guards answer their refusals themselves, exactly as Tessera's error handler answers on its own
 * routes (problem+json, WWW-Authenticate, 503 for an absent store): the host's error handler, whatever
 * it is, never sees an AuthError.
 */
export function createHostGuards(deps: Deps): TesseraGuards {
  const authenticate = requireAuth(deps);
  const answerError = createErrorAnswer(deps.logger);
  const guarded =
    (check: (request: FastifyRequest, reply: FastifyReply) => Promise<void>): HostGuard =>
    async (request, reply) => {
      try {
        await check(request, reply);
      } catch (error) {
        return answerError(error as FastifyError, request, reply);
      }
    };
  return {
    requireAuth: guarded(authenticate),
    requireRoles(...roles: string[]) {
      if (roles.length === 0 || roles.some((role) => typeof role !== 'string' || role === ''))
        throw new TypeError('requireRoles needs one or more role names.');
      return guarded(async (request, reply) => {
        if (request.principal === null) await authenticate(request, reply);
        const principal = principalOf(request);
        const missing = roles.find((role) => !principal.roles.includes(role));
        if (missing !== undefined)
          throw new FlowError('insufficient_scope', `This action needs the "${missing}" role.`);
      });
    },
  };
}
