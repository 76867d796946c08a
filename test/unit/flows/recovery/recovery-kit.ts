/** Shared by the recovery flow tests: reading the links the outbox holds. */
import { expect } from 'vitest';
import type { MailTemplateName, OutgoingMail } from '../../../../src/stores/mail-outbox.js';
import type { TestDeps } from '../../../helpers/test-deps.js';

/** The messages enqueued so far: MemoryMailOutbox and the SQLite fixture's recorder both keep them. */
export function outboxOf(deps: TestDeps): { messages: readonly OutgoingMail[] } {
  return deps.stores.mailOutbox as unknown as { messages: readonly OutgoingMail[] };
}

/** The messages of one template, oldest first. */
export function mailsOf(deps: TestDeps, template: MailTemplateName) {
  return outboxOf(deps).messages.filter((mail) => mail.template === template);
}

/** The token in the newest link of a template sent to `to`. */
export function lastLinkToken(deps: TestDeps, template: MailTemplateName, to: string): string {
  const mail = mailsOf(deps, template)
    .filter((message) => message.to === to)
    .at(-1);
  expect(mail, `no ${template} mail to ${to}`).toBeDefined();
  const link = mail?.data['link'] ?? '';
  const match = /#\/[a-z-]+\?token=([A-Za-z0-9_.-]+)$/.exec(link);
  expect(match, `no token in ${link}`).not.toBeNull();
  return match?.[1] ?? '';
}
