import type { Deps, RequestContext } from '../deps.js';
import { signIn, type OpenedSession, type SessionRequest } from '../auth/sign-in.js';
import type { SecondFactorAnswer } from './prove-second-factor.js';
import { parseTicket, readSignInTicket, ticketInvalid } from './sign-in-ticket.js';

/** Who presents the ticket: Tessera's own endpoint (/auth/mfa/verify) or an authenticated OAuth client. */
export type TicketPresenter = { kind: 'first_party' } | { kind: 'oauth'; clientId: string };

/** The session a completed ticket opens, with the request it was opened for (so the edge delivers it alike). */
export type CompletedSignIn =
  | {
      kind: 'tokens';
      open: Extract<SessionRequest, { kind: 'jwt' | 'oauth' }>;
      session: OpenedSession<{ kind: 'jwt' }>;
    }
  | {
      kind: 'stateful';
      open: Extract<SessionRequest, { kind: 'stateful' }>;
      session: OpenedSession<{ kind: 'stateful' }>;
    };

/**
 * The second step of sign-in: the ticket's own session request goes through the login pipeline
 * (signIn) with a `second_factor` proof, so every check of the pipeline runs again (account state,
 * policies) and the session is exactly the one the first step asked for. A ticket issued to an OAuth
 * client completes only for that client, and a first-party ticket only at the first-party endpoint.
 */
export async function completeSignIn(
  deps: Deps,
  input: { ticket: string; answer: SecondFactorAnswer },
  presenter: TicketPresenter,
  context: RequestContext,
): Promise<CompletedSignIn> {
  const ticket = parseTicket(input.ticket);
  const stored = await readSignInTicket(deps, ticket);
  if (!presentedByItsHolder(stored.open, presenter)) throw ticketInvalid();
  const proof = { kind: 'second_factor', ticket, stored, answer: input.answer } as const;
  const open = stored.open;
  if (open.kind === 'stateful') {
    return { kind: 'stateful', open, session: await signIn(deps, { proof, open }, context) };
  }
  return { kind: 'tokens', open, session: await signIn(deps, { proof, open }, context) };
}

function presentedByItsHolder(open: SessionRequest, presenter: TicketPresenter): boolean {
  if (open.kind === 'oauth') return presenter.kind === 'oauth' && presenter.clientId === open.clientId;
  return presenter.kind === 'first_party';
}
