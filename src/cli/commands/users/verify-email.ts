import { markEmailVerified } from '../../../flows/recovery/admin-recovery.js';
import type { Command } from '../../command.js';
import { withDeps } from '../../open-context.js';
import { writeJson, writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../../parse.js';

const HELP = `Usage: tessera users verify-email <email|id> [--json]

Marks the account's e-mail address as verified without a link (you vouch for it), so it can sign in
when TESSERA_EMAIL_VERIFICATION=required. Pending verification links stop working.

Options:
  --json             print the updated user as JSON
${CONFIG_HELP}`;

export const verifyEmailCommand: Command = {
  summary: "mark a user's e-mail address as verified",
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: 'users verify-email',
      help: HELP,
      options: { ...CONFIG_OPTION, json: { type: 'boolean' } },
      positionals: { min: 1, max: 1, missing: 'missing <email|id>' },
    });
    if (parsed === undefined) return 0;
    const user = await withDeps(parsed.values.config, (deps) =>
      markEmailVerified(deps, parsed.positionals[0]!),
    );
    if (parsed.values.json) writeJson(user);
    else writeOut(`Verified ${user.email}.`);
    return 0;
  },
};
