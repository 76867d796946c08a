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
  | 'email_change_notice';

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
