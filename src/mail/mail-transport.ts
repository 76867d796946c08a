/** A message ready to leave: rendered, addressed. Never logged (its body may hold a one-time link). */
export interface MailEnvelope {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * The mail transport port. `smtp` hands messages to an SMTP server; `dev` keeps them in the development
 * outbox (the drainer marks them `dev`, nothing leaves the machine).
 */
export interface MailTransport {
  readonly kind: 'smtp' | 'dev';
  /** Where mail goes, for the start-up banner: never credentials. */
  readonly description: string;
  /** Resolves once the server accepted the message; throws MailDeliveryError otherwise. */
  send(mail: MailEnvelope): Promise<void>;
  close(): Promise<void>;
}

/**
 * The transport could not deliver. `permanent` (an SMTP 5xx: the server refused for good) skips the
 * remaining retries; anything else (connection refused, timeout, 4xx) is retried with backoff. The
 * message names the SMTP reply or the socket error, never the mail's content.
 */
export class MailDeliveryError extends Error {
  readonly permanent: boolean;

  constructor(message: string, options: { permanent: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MailDeliveryError';
    this.permanent = options.permanent;
  }
}

/** The development outbox: accepts everything, sends nothing (the message stays in the database). */
export const devOutboxTransport: MailTransport = {
  kind: 'dev',
  description: 'development outbox',
  send: async () => {},
  close: async () => {},
};
