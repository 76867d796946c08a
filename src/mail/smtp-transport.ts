import nodemailer from 'nodemailer';
import { MailDeliveryError, type MailEnvelope, type MailTransport } from './mail-transport.js';

/** Bounds on one delivery, so a hung SMTP server delays a message (it is retried) without stalling shutdown. */
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;
/** Room for an SMTP reply line in last_error and the audit row, no more. */
const MAX_ERROR_LENGTH = 300;

/**
 * The SMTP adapter over nodemailer. `smtp://` connects in plain text and upgrades with STARTTLS
 * whenever the server offers it (nodemailer's default); `smtps://` speaks TLS from the first byte.
 * Certificates are verified (Node's defaults). The only module that imports nodemailer.
 */
export function createSmtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    kind: 'smtp',
    description: describeSmtpUrl(url),
    async send(mail: MailEnvelope): Promise<void> {
      try {
        await transporter.sendMail(mail);
      } catch (error) {
        throw toDeliveryError(error);
      }
    },
    async close(): Promise<void> {
      transporter.close();
    },
  };
}

/** `smtp://mail.example.com:587`: the scheme, host and port, never the user or password. */
export function describeSmtpUrl(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port === '' ? (parsed.protocol === 'smtps:' ? '465' : '587') : parsed.port;
  return `${parsed.protocol}//${parsed.hostname}:${port}`;
}

function toDeliveryError(error: unknown): MailDeliveryError {
  const { responseCode, response, code, message } = (error ?? {}) as {
    responseCode?: unknown;
    response?: unknown;
    code?: unknown;
    message?: unknown;
  };
  if (typeof responseCode === 'number') {
    const reply = typeof response === 'string' ? response : String(responseCode);
    // 5xx: the server refuses for good (RFC 5321 §4.2.1); 4xx: try again later.
    return new MailDeliveryError(reply.slice(0, MAX_ERROR_LENGTH), {
      permanent: responseCode >= 500 && responseCode < 600,
      cause: error,
    });
  }
  const text = [
    typeof code === 'string' ? code : undefined,
    typeof message === 'string' ? message : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(': ');
  return new MailDeliveryError((text || 'SMTP delivery failed').slice(0, MAX_ERROR_LENGTH), {
    permanent: false,
    cause: error,
  });
}
