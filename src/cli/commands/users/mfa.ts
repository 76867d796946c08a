import { listFactorsOfUser, resetFactorsOfUser } from '../../../flows/mfa/reset-factors.js';
import { commandGroup, type Command } from '../../command.js';
import { withDeps } from '../../open-context.js';
import { writeJson, writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../../parse.js';

const listCommand: Command = {
  summary: "show a user's second factors and recovery codes left",
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: 'users mfa list',
      help: `Usage: tessera users mfa list <email> [--json]

Shows the second factors of an account (never their secrets) and how many recovery codes are left.

Options:
  --json             print them as JSON
${CONFIG_HELP}`,
      options: { ...CONFIG_OPTION, json: { type: 'boolean' } },
      positionals: { min: 1, max: 1, missing: 'missing <email>' },
    } as const);
    if (parsed === undefined) return 0;
    const result = await withDeps(parsed.values.config, (deps) =>
      listFactorsOfUser(deps, parsed.positionals[0]!),
    );
    if (parsed.values.json) {
      writeJson({ factors: result.factors, recovery_codes_remaining: result.recoveryCodesRemaining });
      return 0;
    }
    if (result.factors.length === 0) writeOut(`${result.user.email} has no second factor.`);
    for (const factor of result.factors) {
      const state = factor.confirmed_at === null ? 'pending' : `active since ${factor.confirmed_at}`;
      writeOut(`${factor.id}  ${factor.kind}  ${factor.label}  ${state}`);
    }
    writeOut(`${result.recoveryCodesRemaining} recovery code(s) left.`);
    return 0;
  },
};

const resetCommand: Command = {
  summary: 'remove every second factor and recovery code of a user (audited)',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: 'users mfa reset',
      help: `Usage: tessera users mfa reset <email>

Removes every second factor and recovery code of an account whose owner lost them; the next sign-in
needs the password only. Recorded in the audit log as factor_removed.
${CONFIG_HELP}`,
      options: { ...CONFIG_OPTION },
      positionals: { min: 1, max: 1, missing: 'missing <email>' },
    } as const);
    if (parsed === undefined) return 0;
    const { user, removed } = await withDeps(parsed.values.config, (deps) =>
      resetFactorsOfUser(deps, parsed.positionals[0]!, 'cli'),
    );
    writeOut(`Removed ${removed} second factor(s) of ${user.email}; its recovery codes are void.`);
    return 0;
  },
};

/** `tessera users mfa list|reset`. */
export const usersMfaCommand = commandGroup('users mfa', 'list or reset second factors', {
  list: listCommand,
  reset: resetCommand,
});
