import { createHash } from 'node:crypto';
import type { Deps } from '../deps.js';
import { FlowError } from '../flow-error.js';
import type { SessionRequest } from '../auth/sign-in.js';
import type { AuthenticationMethod } from '../../wire/authentication-strength.js';
import type { SecondFactorMethod } from './second-factor-methods.js';

/**
 * The ticket of a two-step sign-in: handed out instead of tokens when the first factor is proven,
 * exchanged for the session once the second is. 256 random bits, stored only as SHA-256 in the
 * ephemeral store (the key), for TICKET_TTL_SECONDS; single-use (consumed with getAndDelete); dead
 * after MAX_WRONG_ANSWERS wrong answers. Bound to the user and to the session request of the first
 * step (its kind, its OAuth client and scope, how its tokens are delivered).
 */
export const TICKET_TTL_SECONDS = 300;
export const MAX_WRONG_ANSWERS = 5;

const TICKET_BYTES = 32;
const TICKET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface SignInTicket {
  userId: string;
  /** The session the first step asked for; the second step opens exactly this. */
  open: SessionRequest;
  /** How the first step proved the user (RFC 8176), carried into the session's `amr`. */
  firstFactor: AuthenticationMethod[];
  methods: SecondFactorMethod[];
}

const ticketKey = (hash: string) => `mfa-ticket:${hash}`;
const failuresKey = (hash: string) => `mfa-ticket-failures:${hash}`;

function hashTicket(ticket: string): string {
  return createHash('sha256').update(ticket).digest('base64url');
}

export async function issueSignInTicket(deps: Deps, ticket: SignInTicket): Promise<string> {
  const value = Buffer.from(deps.random.bytes(TICKET_BYTES)).toString('base64url');
  await deps.stores.ephemeral.set(ticketKey(hashTicket(value)), JSON.stringify(ticket), TICKET_TTL_SECONDS);
  return value;
}

/** A presented ticket, checked for shape (400) before any lookup. */
export function parseTicket(presented: string): { hash: string } {
  if (!TICKET_SHAPE.test(presented)) {
    throw new FlowError('mfa_ticket_malformed', 'The ticket is not one Tessera issued.');
  }
  return { hash: hashTicket(presented) };
}

/** Reads a live ticket without consuming it. */
export async function readSignInTicket(deps: Deps, ticket: { hash: string }): Promise<SignInTicket> {
  const stored = await deps.stores.ephemeral.get(ticketKey(ticket.hash));
  if (stored === undefined) throw ticketInvalid();
  return JSON.parse(stored) as SignInTicket;
}

/** Consumes the ticket: true for exactly one caller, however many race. */
export async function consumeSignInTicket(deps: Deps, ticket: { hash: string }): Promise<boolean> {
  const taken = await deps.stores.ephemeral.getAndDelete(ticketKey(ticket.hash));
  await deps.stores.ephemeral.delete(failuresKey(ticket.hash));
  return taken !== undefined;
}

/** Counts a wrong answer; the ticket dies at MAX_WRONG_ANSWERS. Returns true when it died. */
export async function countWrongAnswer(deps: Deps, ticket: { hash: string }): Promise<boolean> {
  const { count } = await deps.stores.ephemeral.increment(failuresKey(ticket.hash), TICKET_TTL_SECONDS);
  if (count < MAX_WRONG_ANSWERS) return false;
  await consumeSignInTicket(deps, ticket);
  return true;
}

export function ticketInvalid(): FlowError {
  return new FlowError(
    'mfa_ticket_invalid',
    'The sign-in ticket is unknown, expired or used up; sign in again.',
  );
}
