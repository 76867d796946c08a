/**
 * The messages Tessera sends. Each name has a template (subject, plain text, HTML) in src/mail/;
 * the flows pick a name and give the values, never a rendered body.
 */
export type MailTemplateName =
  /** The link that confirms an address after registration (or on request). */
  | 'verify_email'
  /** The password-reset link (forgot-password). */
  | 'password_reset'
  /** Tells the user their password was changed (reset or change), with the time. */
  | 'password_changed'
  /** Sent to the new address: the link that confirms an e-mail change. */
  | 'email_change_confirm'
  /** Sent to the old address: an e-mail change was asked for, with the time and a way to report it. */
  | 'email_change_notice'
  /** An operator's test message (`tessera mail test --to …`): proves the SMTP settings end to end. */
  | 'test';

/** Every template name, in a fixed order (templates, validation of operator overrides, the CLI). */
export const MAIL_TEMPLATE_NAMES: readonly MailTemplateName[] = [
  'verify_email',
  'password_reset',
  'password_changed',
  'email_change_confirm',
  'email_change_notice',
  'test',
];

/** One message as a flow hands it to the outbox. */
export interface OutgoingMail {
  /** The recipient's address (already normalised by the flow). */
  to: string;
  template: MailTemplateName;
  /**
   * The values the template fills in (`link`, `name`, `at`, …). The renderer escapes them; a link may
   * carry a one-time token, so the outbox never logs these values.
   */
  data: Readonly<Record<string, string>>;
}

/**
 * The durable outbox: the request path only enqueues (a database write), and the server drains it to the
 * mail transport with retries (src/mail/). Enqueueing never sends and never blocks on SMTP; a message
 * enqueued is never lost by a crash or an SMTP outage.
 */
export interface MailOutbox {
  /** Stores the message for delivery; throws StoreUnavailableError when the database cannot take it. */
  enqueue(mail: OutgoingMail): Promise<void>;
}

/**
 * Where a message stands. `pending`: waiting (or claimed, or backing off); `sent`: accepted by the SMTP
 * server, data blanked; `dev`: kept whole in the development outbox (no SMTP configured); `failed`:
 * gave up after the last attempt (or a permanent refusal) until an operator retries it.
 */
export type MailStatus = 'pending' | 'sent' | 'dev' | 'failed';

export const MAIL_STATUSES: readonly MailStatus[] = ['pending', 'sent', 'dev', 'failed'];

/** One row of the outbox. */
export interface MailRecord {
  id: string;
  to: string;
  template: MailTemplateName;
  /** The template values; `{}` once the message is sent (one-time links do not outlive delivery). */
  data: Readonly<Record<string, string>>;
  status: MailStatus;
  /** Delivery attempts that failed so far (a lease lost to a crash is not an attempt). */
  attempts: number;
  createdAt: Date;
  /** Not claimed before this time (backoff). */
  nextAttemptAt: Date;
  /** When it was sent (or kept in the development outbox). */
  deliveredAt: Date | null;
  /** The last failure, as the transport described it (never the message's data). */
  lastError: string | null;
  /** The instance holding the lease, while one holds it. */
  claimedBy: string | null;
  leaseExpiresAt: Date | null;
}

export interface ClaimRequest {
  /** Who claims (one id per server instance). */
  owner: string;
  now: Date;
  /** The lease: past this time another instance may claim the message again. */
  leaseExpiresAt: Date;
  limit: number;
}

export type RetrySelection = { id: string } | { status: 'failed' };

/**
 * The outbox as the drainer and the operator see it. Claiming is atomic across instances: a message
 * due and unleased is handed to exactly one claimer until its lease expires (docs/decisions/0040).
 */
export interface MailQueue extends MailOutbox {
  /** Leases up to `limit` due messages (pending, nextAttemptAt ≤ now, no live lease), oldest due first. */
  claimDue(request: ClaimRequest): Promise<MailRecord[]>;
  /**
   * Records delivery by the lease holder: `sent` blanks the data, `dev` keeps it for the developer.
   * False (and nothing changed) when `owner` no longer holds the lease.
   */
  markDelivered(id: string, owner: string, outcome: { status: 'sent' | 'dev'; at: Date }): Promise<boolean>;
  /**
   * Records a failed attempt by the lease holder: back to pending until `retryAt`, or `failed` when
   * `retryAt` is null. False (and nothing changed) when `owner` no longer holds the lease.
   */
  markAttemptFailed(
    id: string,
    owner: string,
    failure: { error: string; retryAt: Date | null },
  ): Promise<boolean>;
  /** Drops every lease `owner` holds (graceful shutdown), so another instance sends at once. */
  releaseClaims(owner: string): Promise<number>;
  findById(id: string): Promise<MailRecord | undefined>;
  /** Newest first, at most `limit` (default 50). */
  list(filter?: { status?: MailStatus; limit?: number }): Promise<MailRecord[]>;
  /** Puts failed messages back to pending, due at `now`, attempts reset; returns how many. */
  retry(selection: RetrySelection, now: Date): Promise<number>;
  /** How many messages stand in each status (for the CLI and metrics). */
  countByStatus(): Promise<Record<MailStatus, number>>;
}
