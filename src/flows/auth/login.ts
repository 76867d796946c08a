import type { Deps, RequestContext } from '../deps.js';
import type { SessionTokenGrant } from '../sessions/open-stateful-session.js';
import type { TokenPair } from '../sessions/open-jwt-session.js';
import { signIn, type TokenDelivery } from './sign-in.js';

export interface LoginInput {
  email: string;
  password: string;
}

const passwordProof = (input: LoginInput) => ({ kind: 'password', ...input }) as const;

/** POST /auth/login in JWT mode: the login pipeline (sign-in.ts) with a password, then a token pair. */
export function login(
  deps: Deps,
  input: LoginInput,
  context: RequestContext,
  /** How the edge will deliver the tokens; kept in a second-factor ticket so the second step delivers alike. */
  delivery?: TokenDelivery,
): Promise<TokenPair> {
  const open = { kind: 'jwt', ...(delivery !== undefined && { delivery }) } as const;
  return signIn(deps, { proof: passwordProof(input), open }, context);
}

/** Session mode: the same pipeline, then a server-side session and an opaque session token. */
export function loginWithSessionToken(
  deps: Deps,
  input: LoginInput,
  context: RequestContext,
  delivery?: TokenDelivery,
): Promise<SessionTokenGrant> {
  const open = { kind: 'stateful', ...(delivery !== undefined && { delivery }) } as const;
  return signIn(deps, { proof: passwordProof(input), open }, context);
}
