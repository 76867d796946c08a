import type { AccountTokenPurpose, AccountTokenRecord, UserRecord } from '../../stores/types.js';
import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import {
  generateOpaqueToken,
  hashTokenSecret,
  parseOpaqueToken,
  tokenSecretMatches,
  type OpaqueToken,
} from '../sessions/opaque-token.js';

/**
 * One-time account links: `<id>.<secret>` with a 256-bit secret of which only SHA-256 is stored (the
 * refresh-token scheme, opaque-token.ts), bound to one purpose, short-lived and used at most once. The
 * token travels in the URL fragment of the link (`<publicUrl>/#/<page>?token=…`), which browsers never
 * send to a server nor put in a Referer; the console page then POSTs it in a JSON body.
 */

/** The console page each kind of link opens. */
const PAGES: Readonly<Record<AccountTokenPurpose, string>> = {
  verify_email: 'verify-email',
  password_reset: 'reset-password',
  email_change: 'confirm-email',
};

/** A freshly drawn link, not stored yet: drawn for every request, so known and unknown addresses cost the same. */
export interface DrawnLink {
  token: OpaqueToken;
  tokenHash: string;
}

export function drawLink(deps: Pick<Deps, 'random'>): DrawnLink {
  const token = generateOpaqueToken(deps.random);
  return { token, tokenHash: hashTokenSecret(token.secret) };
}

export function linkTtlSeconds(deps: Pick<Deps, 'config'>, purpose: AccountTokenPurpose): number {
  const links = deps.config.accountLinks;
  switch (purpose) {
    case 'verify_email':
      return links.verifyEmailTtlSeconds;
    case 'password_reset':
      return links.passwordResetTtlSeconds;
    case 'email_change':
      return links.emailChangeTtlSeconds;
  }
}

/**
 * Stores the drawn link for `user` (older live links of the same purpose are voided by the store) and
 * returns the URL to mail. `email` is the address the link is about.
 */
export async function storeLink(
  deps: Deps,
  drawn: DrawnLink,
  user: UserRecord,
  purpose: AccountTokenPurpose,
  email: string,
): Promise<string> {
  const createdAt = deps.clock.now();
  await deps.stores.accountTokens.issue({
    id: drawn.token.id,
    userId: user.id,
    purpose,
    tokenHash: drawn.tokenHash,
    email,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + linkTtlSeconds(deps, purpose) * 1000),
  });
  return consoleUrl(deps, PAGES[purpose], drawn.token.token);
}

/** A console page's address, with the token (if any) in the fragment. */
export function consoleUrl(deps: Pick<Deps, 'config'>, page: string, token?: string): string {
  const base = deps.config.publicUrl.replace(/\/+$/, '');
  return token === undefined ? `${base}/#/${page}` : `${base}/#/${page}?token=${token}`;
}

type LinkRefusal = 'link_invalid' | 'link_wrong_purpose' | 'link_used' | 'link_revoked' | 'link_expired';

const REFUSALS: Readonly<Record<LinkRefusal, string>> = {
  link_invalid: 'This link is not valid.',
  link_wrong_purpose: 'This link is meant for something else.',
  link_used: 'This link has been used already.',
  link_revoked: 'This link was replaced by a newer one or cancelled.',
  link_expired: 'This link has expired; ask for a new one.',
};

/** Audits the refusal (who tried what) and throws the link's own code. */
export async function refuseLink(
  deps: Deps,
  code: LinkRefusal,
  record: AccountTokenRecord | undefined,
  context: RequestContext,
): Promise<never> {
  await recordAudit(deps, 'account_token_rejected', {
    userId: record?.userId ?? null,
    context,
    detail: { reason: code, ...(record && { purpose: record.purpose }) },
  });
  throw new FlowError(code, REFUSALS[code]);
}

/**
 * Finds the link a presented token names and checks it, without using it up: it must be one Tessera
 * issued (shape, id and a constant-time hash match), for `purpose`, unused, not voided and not expired.
 * Each refusal has its own code; a refused link is left as it was.
 */
export async function checkLink(
  deps: Deps,
  presented: string,
  purpose: AccountTokenPurpose,
  context: RequestContext,
): Promise<AccountTokenRecord> {
  const parsed = parseOpaqueToken(presented);
  const record = parsed && (await deps.stores.accountTokens.findById(parsed.id));
  if (parsed === undefined || record === undefined || !tokenSecretMatches(parsed.secret, record.tokenHash)) {
    return refuseLink(deps, 'link_invalid', undefined, context);
  }
  if (record.purpose !== purpose) return refuseLink(deps, 'link_wrong_purpose', record, context);
  if (record.usedAt !== null) return refuseLink(deps, 'link_used', record, context);
  if (record.revokedAt !== null) return refuseLink(deps, 'link_revoked', record, context);
  if (record.expiresAt.getTime() <= deps.clock.now().getTime()) {
    return refuseLink(deps, 'link_expired', record, context);
  }
  return record;
}

/**
 * Uses the checked link up, atomically: of concurrent uses exactly one gets past this line; the others
 * are refused as used (or expired, when the clock passed its expiry in between).
 */
export async function consumeLink(
  deps: Deps,
  record: AccountTokenRecord,
  context: RequestContext,
): Promise<void> {
  const at = deps.clock.now();
  if (await deps.stores.accountTokens.consume(record.id, at)) return;
  const expired = record.expiresAt.getTime() <= at.getTime();
  return refuseLink(deps, expired ? 'link_expired' : 'link_used', record, context);
}

/** The user a checked link belongs to (links go with their user, so it exists unless deleted just now). */
export async function linkOwner(deps: Deps, record: AccountTokenRecord): Promise<UserRecord> {
  const user = await deps.stores.users.findById(record.userId);
  if (user === undefined) throw new FlowError('user_not_found', 'The user no longer exists.');
  return user;
}
