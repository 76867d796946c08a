import { disableUser, enableUser } from '../../../flows/admin/user-admin.js';
import type { Command } from '../../command.js';
import { withDeps } from '../../open-context.js';
import { writeJson, writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../../parse.js';

const help = (verb: 'disable' | 'enable', what: string) => `Usage: tessera users ${verb} <email> [--json]

${what}

Options:
  --json             print the updated user as JSON
${CONFIG_HELP}`;

const spec = (verb: 'disable' | 'enable', what: string) =>
  ({
    name: `users ${verb}`,
    help: help(verb, what),
    options: { ...CONFIG_OPTION, json: { type: 'boolean' } },
    positionals: { min: 1, max: 1, missing: 'missing <email>' },
  }) as const;

export const disableUserCommand: Command = {
  summary: 'disable an account (ends its sessions)',
  async run(argv) {
    const parsed = parseCommand(
      argv,
      spec(
        'disable',
        'Disables the account until "tessera users enable": sign-in and refresh are refused and its\n' +
          'sessions end at once.',
      ),
    );
    if (parsed === undefined) return 0;
    const { user, revokedSessions } = await withDeps(parsed.values.config, (deps) =>
      disableUser(deps, parsed.positionals[0]!),
    );
    if (parsed.values.json) writeJson(user);
    else writeOut(`Disabled ${user.email}; ${revokedSessions} session(s) revoked.`);
    return 0;
  },
};

export const enableUserCommand: Command = {
  summary: 'enable a disabled account',
  async run(argv) {
    const parsed = parseCommand(
      argv,
      spec('enable', 'Enables an account disabled with "tessera users disable".'),
    );
    if (parsed === undefined) return 0;
    const user = await withDeps(parsed.values.config, (deps) => enableUser(deps, parsed.positionals[0]!));
    if (parsed.values.json) writeJson(user);
    else writeOut(`Enabled ${user.email}.`);
    return 0;
  },
};
