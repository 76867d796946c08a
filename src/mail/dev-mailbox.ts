import type { MailQueue } from '../stores/mail-outbox.js';
import type { DevMailView } from '../wire/dev-mail.js';
import { renderMail, type TemplateSet } from './template-set.js';

/** The development outbox as the console reads it: messages kept instead of sent, rendered. */
export interface DevMailbox {
  /** Newest first, at most `limit`. */
  list(limit: number): Promise<DevMailView[]>;
}

export function createDevMailbox(
  queue: MailQueue,
  templates: TemplateSet,
  options: { from: string; publicUrl: string },
): DevMailbox {
  return {
    async list(limit) {
      const records = await queue.list({ status: 'dev', limit });
      return records.map((record) => ({
        id: record.id,
        to: record.to,
        from: options.from,
        ...renderMail(templates, record, options.publicUrl),
        created_at: record.createdAt.toISOString(),
      }));
    },
  };
}
