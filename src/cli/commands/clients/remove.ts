import { removeClient } from '../../../flows/admin/client-admin.js';
import type { Command } from '../../command.js';
import { writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../../parse.js';
import { withClientAdmin } from './with-client-admin.js';

const NAME = 'clients remove';
const HELP = `Usage: tessera clients remove <client_id>

Removes a stored OAuth client and revokes every session granted to it: its refresh tokens stop working
at once, and its access tokens are refused wherever revocations are checked (strict mode, verifiers
following the revocation feed); elsewhere they expire at their exp. Clients from TESSERA_OAUTH_CLIENTS
are removed from the configuration instead.

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
    const { client, sessionsRevoked } = await withClientAdmin(parsed.values.config, (deps) =>
      removeClient(deps, parsed.positionals[0]!),
    );
    const sessions = `${sessionsRevoked} session${sessionsRevoked === 1 ? '' : 's'} revoked`;
    writeOut(`Removed client "${client.name}" (client_id ${client.client_id}); ${sessions}.`);
    return 0;
  },
};
