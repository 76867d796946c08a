import { setRolesByEmail } from '../../../flows/admin/user-admin.js';
import type { Command } from '../../command.js';
import { withDeps } from '../../open-context.js';
import { writeJson, writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../../parse.js';

const NAME = 'users set-roles';
const HELP = `Usage: tessera users set-roles <email> [<role> ...] [--json]

Replaces the user's roles with the ones given (none: remove every role). Access tokens carry the
roles, so the change shows in the user's next access token (at their next refresh).

Options:
  --json             print the updated user as JSON
${CONFIG_HELP}`;

export const setRolesCommand: Command = {
  summary: "replace a user's roles",
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: NAME,
      help: HELP,
      options: { ...CONFIG_OPTION, json: { type: 'boolean' } },
      positionals: { min: 1, max: 1000, missing: 'missing <email>' },
    });
    if (parsed === undefined) return 0;
    const [email, ...roles] = parsed.positionals as [string, ...string[]];
    const user = await withDeps(parsed.values.config, (deps) => setRolesByEmail(deps, email, roles));
    if (parsed.values.json) writeJson(user);
    else writeOut(`Roles of ${user.email}: ${user.roles.length === 0 ? '(none)' : user.roles.join(', ')}.`);
    return 0;
  },
};
