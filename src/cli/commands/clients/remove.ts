import { removeClient } from '../../../flows/client-admin.js';
import type { Command } from '../../command.js';
import { writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../../parse.js';
import { withClientAdmin } from './with-client-admin.js';

const NAME = 'clients remove';
const HELP = `Usage: tessera clients remove <client_id>

Removes a stored OAuth client. Its refresh tokens stop working at once (it can no longer authenticate);
access tokens already issued expire at their exp. Clients from TESSERA_OAUTH_CLIENTS are removed
from the configuration instead.

Options:
${CONFIG_HELP}

Exit status: 0 removed, 1 no such stored client (client_not_found), 2 usage, 78 configuration.`;

export const removeClientCommand: Command = {
  summary: 'remove a stored OAuth client',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: NAME,
      help: HELP,
      options: { ...CONFIG_OPTION },
      positionals: { min: 1, max: 1, missing: 'missing <client_id>' },
    });
    if (parsed === undefined) return 0;
    const client = await withClientAdmin(parsed.values.config, (deps) =>
      removeClient(deps, parsed.positionals[0]!),
    );
    writeOut(`Removed client "${client.name}" (client_id ${client.client_id}).`);
    return 0;
  },
};
