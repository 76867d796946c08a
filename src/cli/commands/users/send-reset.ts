import { sendPasswordResetLink } from '../../../flows/recovery/admin-recovery.js';
import type { Command } from '../../command.js';
import { withDeps } from '../../open-context.js';
import { writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../../parse.js';

const HELP = `Usage: tessera users send-reset <email|id>

Mails the user a password-reset link (valid TESSERA_PASSWORD_RESET_TTL, 30 minutes by default), as
"forgot password" would. The link is never printed: only the user's mailbox gets it. A newer link
replaces older ones.

Options:
${CONFIG_HELP}`;

export const sendResetCommand: Command = {
  summary: 'mail a user a password-reset link',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: 'users send-reset',
      help: HELP,
      options: { ...CONFIG_OPTION },
      positionals: { min: 1, max: 1, missing: 'missing <email|id>' },
    });
    if (parsed === undefined) return 0;
    const user = await withDeps(parsed.values.config, (deps) =>
      sendPasswordResetLink(deps, parsed.positionals[0]!),
    );
    writeOut(`Queued a password-reset link for ${user.email}.`);
    return 0;
  },
};
