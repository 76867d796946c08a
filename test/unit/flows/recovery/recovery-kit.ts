/** Shared by the recovery flow tests: reading the links the outbox holds. */
import { expect } from 'vitest';
import type { MailTemplateName } from '../../../../src/stores/mail-outbox.js';
import type { MemoryMailOutbox } from '../../../../src/stores/memory/memory-mail-outbox.js';
import type { TestDeps } from '../../../helpers/test-deps.js';

export function outboxOf(deps: TestDeps): MemoryMailOutbox {
  return deps.stores.mailOutbox as MemoryMailOutbox;
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
