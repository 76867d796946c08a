import { listOutbox, retryMail, type OutboxEntryView } from '../../../flows/mail/outbox-admin.js';
import { MAIL_STATUSES, type MailStatus } from '../../../stores/mail-outbox.js';
import type { Command } from '../../command.js';
import { UsageError } from '../../errors.js';
import { formatTable, writeJson, writeNote, writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand, parseInteger } from '../../parse.js';
import { withMailAdmin } from './with-mail-admin.js';

const NAME = 'mail outbox';
const HELP = `Usage: tessera mail outbox [--status <status>] [--limit <n>] [--json]
       tessera mail outbox retry <id> | --failed

Lists the mail outbox, newest first, with how many messages stand in each status: pending (waiting or
backing off), sent, dev (kept in the development outbox) and failed (gave up after the last attempt).
Message contents are never shown. "retry" puts one failed message, or every failed one, back in the
queue: the running server sends it within a second.

Options:
  --status <status>  only ${MAIL_STATUSES.join(', ')}
  --limit <n>        at most n messages (default 50, at most 1000)
  --json             print {messages, counts} as JSON
  --failed           (retry) every failed message
${CONFIG_HELP}

Exit status: 0 done, 1 no failed message with that id, 2 usage, 78 configuration.`;

async function runRetry(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, {
    name: `${NAME} retry`,
    help: HELP,
    options: { ...CONFIG_OPTION, failed: { type: 'boolean' } },
    positionals: { min: 0, max: 1 },
  });
  if (parsed === undefined) return 0;
  const id = parsed.positionals[0];
  if ((id === undefined) === (parsed.values.failed !== true)) {
    throw new UsageError('give a message id or --failed (one of them)', NAME);
  }
  const retried = await withMailAdmin(parsed.values.config, (deps) =>
    retryMail(deps, id === undefined ? { status: 'failed' } : { id }),
  );
  if (id !== undefined && retried === 0) {
    process.stderr.write(`tessera: no failed message has the id ${id}\n`);
    return 1;
  }
  writeOut(`${retried} message${retried === 1 ? '' : 's'} queued again.`);
  return 0;
}

export const outboxCommand: Command = {
  summary: 'list the mail outbox, or retry failed messages',
  async run(argv) {
    if (argv[0] === 'retry') return runRetry(argv.slice(1));
    const parsed = parseCommand(argv, {
      name: NAME,
      help: HELP,
      options: {
        ...CONFIG_OPTION,
        status: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
      positionals: { min: 0, max: 0 },
    });
    if (parsed === undefined) return 0;
    const status = parsed.values.status;
    if (status !== undefined && !MAIL_STATUSES.includes(status as MailStatus)) {
      throw new UsageError(`--status must be one of ${MAIL_STATUSES.join(', ')}`, NAME);
    }
    const limit =
      parsed.values.limit === undefined ? 50 : parseInteger(parsed.values.limit, '--limit', NAME, 1, 1000);
    const result = await withMailAdmin(parsed.values.config, (deps) =>
      listOutbox(deps, { ...(status !== undefined && { status: status as MailStatus }), limit }),
    );
    if (parsed.values.json) {
      writeJson(result);
      return 0;
    }
    if (result.messages.length === 0) writeNote('No messages.');
    else
      writeOut(
        formatTable(
          ['ID', 'STATUS', 'TO', 'TEMPLATE', 'ATTEMPTS', 'CREATED', 'NEXT', 'LAST_ERROR'],
          result.messages.map(row),
        ),
      );
    writeNote(MAIL_STATUSES.map((name) => `${name} ${result.counts[name]}`).join(', '));
    return 0;
  },
};

function row(entry: OutboxEntryView): string[] {
  return [
    entry.id,
    entry.status,
    entry.to,
    entry.template,
    String(entry.attempts),
    entry.created_at,
    entry.next_attempt_at ?? '-',
    entry.last_error ?? '-',
  ];
}
