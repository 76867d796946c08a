import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../flows/authenticate/principal.js';
import { requireStepUp, type StepUpPolicy } from '../../flows/authenticate/require-step-up.js';
import type { Deps } from '../../flows/deps.js';
import { ACR_MULTI_FACTOR } from '../../wire/authentication-strength.js';

/**
 * A route's step-up declaration (`config.authStrength`), read by requireAuth once the principal is
 * known: users with a second factor must have signed in this strongly and this recently, else 401
 * `insufficient_user_authentication` with the RFC 9470 challenge. Users without one pass.
 */
export interface RouteAuthStrength extends Omit<StepUpPolicy, 'maxAgeSeconds'> {
  /** Seconds, or read from the (validated) request; default the TESSERA_STEP_UP_MAX_AGE setting. */
  maxAgeSeconds?: number | ((request: FastifyRequest) => number | undefined);
  /** Only when this holds (e.g. logout scope `others`); default always. Runs after body validation. */
  appliesTo?: (request: FastifyRequest, principal: Principal) => boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Step-up for users with a second factor (plugins/auth-strength.ts); the route must run requireAuth. */
    authStrength?: RouteAuthStrength;
  }
}

/**
 * What Tessera's sensitive account changes declare (password and e-mail change, adding or removing
 * factors, revoking other sessions): a two-factor sign-in within TESSERA_STEP_UP_MAX_AGE.
 * `{ config: { ...AUTH_REQUIRED, authStrength: SENSITIVE_ACCOUNT_CHANGE } }`.
 */
export const SENSITIVE_ACCOUNT_CHANGE: RouteAuthStrength = Object.freeze({ acr: ACR_MULTI_FACTOR });

/** Applies the route's declaration, if it has one, to the authenticated principal. */
export async function checkRouteAuthStrength(
  deps: Deps,
  request: FastifyRequest,
  principal: Principal,
): Promise<void> {
  const declared = request.routeOptions.config.authStrength;
  if (declared === undefined) return;
  if (declared.appliesTo !== undefined && !declared.appliesTo(request, principal)) return;
  const { maxAgeSeconds } = declared;
  await requireStepUp(deps, principal, {
    acr: declared.acr,
    maxAgeSeconds: typeof maxAgeSeconds === 'function' ? maxAgeSeconds(request) : maxAgeSeconds,
    freshnessForEveryone: declared.freshnessForEveryone,
  });
}
