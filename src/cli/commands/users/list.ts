import { listUsers, type AdminUserView } from '../../../flows/admin/user-admin.js';
import type { Command } from '../../command.js';
import { withDeps } from '../../open-context.js';
import { formatTable, writeJson, writeNote, writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand, parseInteger } from '../../parse.js';

const NAME = 'users list';
const DEFAULT_LIMIT = 100;
const HELP = `Usage: tessera users list [--json] [--limit <n>] [--offset <n>]

Lists accounts, oldest first: e-mail, name, roles, status (active, locked until …, locked, disabled),
failed sign-ins in the current lockout window, creation time. A lock is an administrator's
(users lock) or the automatic one after repeated failed sign-ins.

Options:
  --json             print a JSON array (never includes password hashes)
  --limit <n>        at most n users (1 to 10000, default ${DEFAULT_LIMIT})
  --offset <n>       skip the first n users (default 0)
${CONFIG_HELP}`;

export const listUsersCommand: Command = {
  summary: 'list users',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: NAME,
      help: HELP,
      options: {
        ...CONFIG_OPTION,
        json: { type: 'boolean' },
        limit: { type: 'string' },
        offset: { type: 'string' },
      },
      positionals: { min: 0, max: 0 },
    });
    if (parsed === undefined) return 0;
    const { values } = parsed;
    const limit =
      values.limit === undefined ? DEFAULT_LIMIT : parseInteger(values.limit, '--limit', NAME, 1, 10_000);
    const offset =
      values.offset === undefined ? 0 : parseInteger(values.offset, '--offset', NAME, 0, 2 ** 31);
    const users = await withDeps(values.config, (deps) => listUsers(deps, { limit, offset }));
    if (values.json) {
      writeJson(users);
      return 0;
    }
    if (users.length === 0) writeNote('No users.');
    else
      writeOut(
        formatTable(['EMAIL', 'NAME', 'ROLES', 'STATUS', 'FAILURES', 'CREATED', 'ID'], users.map(row)),
      );
    if (users.length === limit) writeNote(`(first ${limit} shown: use --offset ${offset + limit} for more)`);
    return 0;
  },
};

function row(user: AdminUserView): string[] {
  return [
    user.email,
    user.name ?? '',
    user.roles.join(',') || '-',
    status(user),
    String(user.failed_login_count),
    user.created_at,
    user.id,
  ];
}

function status(user: AdminUserView): string {
  if (user.disabled) return 'disabled';
  if (user.locked_until === null || new Date(user.locked_until) <= new Date()) return 'active';
  return user.locked_until.startsWith('9999-') ? 'locked' : `locked until ${user.locked_until}`;
}
