import { ConfigError } from '../config/config-error.js';
import type { Config } from '../config/types.js';
import { createMailDrainer, type MailDrainer } from '../mail/mail-drainer.js';
import { devOutboxTransport, type MailTransport } from '../mail/mail-transport.js';
import { createSmtpTransport } from '../mail/smtp-transport.js';
import { loadTemplateSet, MailTemplateError, type TemplateSet } from '../mail/template-set.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Random } from '../platform/random.js';
import type { MailOutbox } from '../stores/mail-outbox.js';
import type { Stores } from '../stores/types.js';

/** The sender of development-outbox mail, when TESSERA_MAIL_FROM is not set (it is required with SMTP). */
export const DEV_MAIL_FROM = 'Tessera <no-reply@localhost>';

export interface MailDelivery {
  transport: MailTransport;
  templates: TemplateSet;
  drainer: MailDrainer;
  /** The stores with an outbox that wakes this instance's drainer on enqueue. */
  stores: Stores;
  /** For the banner: where mail goes. */
  description: string;
}

/**
 * Reads the operator's templates (refused at start when wrong, as a bad setting is), picks the
 * transport (SMTP, or the development outbox without TESSERA_SMTP_URL: cross-checks.ts guarantees one
 * of them is meant) and builds the drainer over the outbox. Nothing runs until `drainer.start()`.
 */
export function openMailDelivery(
  config: Config,
  stores: Stores,
  platform: { clock: Clock; random: Random; logger: Logger },
): MailDelivery {
  const templates = loadTemplates(config.mail.templatesDir);
  const transport =
    config.mail.smtpUrl === null ? devOutboxTransport : createSmtpTransport(config.mail.smtpUrl);
  const drainer = createMailDrainer({
    queue: stores.mailQueue,
    transport,
    templates,
    audit: stores.audit,
    ...platform,
    from: config.mail.from ?? DEV_MAIL_FROM,
    publicUrl: config.publicUrl,
    retry: {
      maxAttempts: config.mail.maxAttempts,
      baseSeconds: config.mail.retryBaseSeconds,
      maxSeconds: config.mail.retryMaxSeconds,
    },
  });
  return {
    transport,
    templates,
    drainer,
    stores: { ...stores, mailOutbox: wakingOnEnqueue(stores.mailOutbox, () => drainer.wake()) },
    description: transport.kind === 'smtp' ? `SMTP ${transport.description}` : transport.description,
  };
}

/** Loads the template set; a bad override is a configuration error naming TESSERA_MAIL_TEMPLATES. */
export function loadTemplates(directory: string | null): TemplateSet {
  try {
    return loadTemplateSet(directory);
  } catch (error) {
    if (error instanceof MailTemplateError) throw new ConfigError('TESSERA_MAIL_TEMPLATES', error.message);
    throw error;
  }
}

/** In-process enqueues are sent at once rather than at the next poll; other instances' wait for it. */
function wakingOnEnqueue(outbox: MailOutbox, wake: () => void): MailOutbox {
  return {
    async enqueue(mail) {
      await outbox.enqueue(mail);
      wake();
    },
  };
}
