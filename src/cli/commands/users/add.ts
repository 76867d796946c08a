import { createUser } from '../../../flows/admin/user-admin.js';
import type { Command } from '../../command.js';
import { withDeps } from '../../open-context.js';
import { withProgress, writeJson, writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../../parse.js';
import { readNewPassword } from './read-password.js';

const NAME = 'users add';
const HELP = `Usage: tessera users add <email> [--name <name>] [--role <role> ...] [--password-stdin] [--json]

Creates an account. The password is read from stdin with --password-stdin, else asked twice on the
terminal (not echoed); it is never taken as an argument. Roles are lower-case names (admin, billing:read).

Options:
  --name <name>      display name
  --role <role>      a role to grant; repeat for several
  --password-stdin   read the password from stdin (e.g. printf '%s' "$PW" | tessera users add …)
  --json             print the created user as JSON
${CONFIG_HELP}

Exit status: 0 created, 1 refused (e-mail taken, weak password, invalid e-mail), 2 usage, 78 configuration.`;

export const addUserCommand: Command = {
  summary: 'create a user',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: NAME,
      help: HELP,
      options: {
        ...CONFIG_OPTION,
        name: { type: 'string' },
        role: { type: 'string', multiple: true },
        'password-stdin': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      positionals: { min: 1, max: 1, missing: 'missing <email>' },
    });
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    const password = await readNewPassword(values['password-stdin'] === true, NAME);
    const user = await withDeps(values.config, (deps) =>
      withProgress('Hashing password', () =>
        createUser(deps, { email: positionals[0]!, password, name: values.name, roles: values.role }),
      ),
    );
    const roles = user.roles.length === 0 ? '' : `, roles ${user.roles.join(', ')}`;
    if (values.json) writeJson(user);
    else writeOut(`Created ${user.email} (id ${user.id}${roles}).`);
    return 0;
  },
};
