import { deleteUser } from '../../../flows/admin/user-admin.js';
import type { Command } from '../../command.js';
import { EXIT_FAILURE, UsageError } from '../../errors.js';
import { withDeps } from '../../open-context.js';
import { writeNote, writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../../parse.js';
import { canPrompt, confirm } from '../../prompt.js';

const NAME = 'users delete';
const HELP = `Usage: tessera users delete <email> [--yes]

Deletes the account with its sessions and refresh tokens. This cannot be undone (audit events stay).
Asks for confirmation on a terminal; elsewhere --yes is required.

Options:
  --yes              do not ask
${CONFIG_HELP}`;

export const deleteUserCommand: Command = {
  summary: 'delete a user and their sessions',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: NAME,
      help: HELP,
      options: { ...CONFIG_OPTION, yes: { type: 'boolean', short: 'y' } },
      positionals: { min: 1, max: 1, missing: 'missing <email>' },
    });
    if (parsed === undefined) return 0;
    const email = parsed.positionals[0]!;
    if (parsed.values.yes !== true) {
      if (!canPrompt()) throw new UsageError('refusing to delete without --yes (not a terminal)', NAME);
      if (!(await confirm(`Delete ${email} and all their sessions?`))) {
        writeNote('Not deleted.');
        return EXIT_FAILURE;
      }
    }
    const user = await withDeps(parsed.values.config, (deps) => deleteUser(deps, email));
    writeOut(`Deleted ${user.email} (id ${user.id}).`);
    return 0;
  },
};
