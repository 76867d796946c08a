import { enqueueTestMail } from '../../../flows/mail/outbox-admin.js';
import type { Command } from '../../command.js';
import { UsageError } from '../../errors.js';
import { writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../../parse.js';
import { withMailAdmin } from './with-mail-admin.js';

const NAME = 'mail test';
const HELP = `Usage: tessera mail test --to <address>

Queues a short test message to <address> in the mail outbox. The running server sends it (within a
second) over TESSERA_SMTP_URL, or keeps it in the development outbox without one: check the inbox,
or "tessera mail outbox" for its status and the SMTP server's answer.

Options:
  --to <address>     the recipient
${CONFIG_HELP}

Exit status: 0 queued, 1 invalid address (invalid_email), 2 usage, 78 configuration.`;

export const testMailCommand: Command = {
  summary: 'queue a test message',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: NAME,
      help: HELP,
      options: { ...CONFIG_OPTION, to: { type: 'string' } },
      positionals: { min: 0, max: 0 },
    });
    if (parsed === undefined) return 0;
    const to = parsed.values.to;
    if (to === undefined) {
      throw new UsageError('missing --to <address>', NAME);
    }
    const address = await withMailAdmin(parsed.values.config, (deps) => enqueueTestMail(deps, to));
    writeOut(`Queued a test message to ${address}; the running server delivers it.`);
    return 0;
  },
};
