import { commandGroup } from '../command.js';
import { outboxCommand } from './mail/outbox.js';
import { testMailCommand } from './mail/test.js';

/** `tessera mail …`: the durable mail outbox (src/flows/mail/outbox-admin.ts). */
export const mailCommand = commandGroup('mail', 'inspect the mail outbox, retry, send a test', {
  outbox: outboxCommand,
  test: testMailCommand,
});
