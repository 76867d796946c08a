import { lockUser, unlockUser } from '../../../flows/admin/user-admin.js';
import type { Command } from '../../command.js';
import { UsageError } from '../../errors.js';
import { withDeps } from '../../open-context.js';
import { writeJson, writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../../parse.js';

const LOCK_HELP = `Usage: tessera users lock <email> [--until <date>] [--json]

Locks the account: sign-in is refused until the date (ISO 8601, e.g. 2026-03-01 or
2026-03-01T12:00:00Z), or indefinitely without --until. The user's sessions end at once.

Options:
  --until <date>     when the lock ends (default: never; lift it with "tessera users unlock")
  --json             print the updated user as JSON
${CONFIG_HELP}`;

const UNLOCK_HELP = `Usage: tessera users unlock <email> [--json]

Lifts a lock set with "tessera users lock" and resets the failed sign-in count.

Options:
  --json             print the updated user as JSON
${CONFIG_HELP}`;

export const lockUserCommand: Command = {
  summary: 'lock a user out (until a date, or indefinitely)',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: 'users lock',
      help: LOCK_HELP,
      options: { ...CONFIG_OPTION, until: { type: 'string' }, json: { type: 'boolean' } },
      positionals: { min: 1, max: 1, missing: 'missing <email>' },
    });
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    const until = values.until === undefined ? null : parseDate(values.until);
    const { user, revokedSessions } = await withDeps(values.config, (deps) =>
      lockUser(deps, positionals[0]!, until),
    );
    if (values.json) writeJson(user);
    else {
      const when = until === null ? 'indefinitely' : `until ${user.locked_until}`;
      writeOut(`Locked ${user.email} ${when}; ${revokedSessions} session(s) revoked.`);
    }
    return 0;
  },
};

export const unlockUserCommand: Command = {
  summary: 'lift a lock',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: 'users unlock',
      help: UNLOCK_HELP,
      options: { ...CONFIG_OPTION, json: { type: 'boolean' } },
      positionals: { min: 1, max: 1, missing: 'missing <email>' },
    });
    if (parsed === undefined) return 0;
    const user = await withDeps(parsed.values.config, (deps) => unlockUser(deps, parsed.positionals[0]!));
    if (parsed.values.json) writeJson(user);
    else writeOut(`Unlocked ${user.email}.`);
    return 0;
  },
};

// An ISO 8601 date or date-time; Date.parse alone would also take "March 1" in the local zone.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function parseDate(value: string): Date {
  const date = new Date(value);
  if (!ISO_DATE.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(
      '--until must be an ISO 8601 date, e.g. 2026-03-01 or 2026-03-01T12:00:00Z',
      'users lock',
    );
  }
  return date;
}
