import { listClients, type AdminClientView } from '../../../flows/admin/client-admin.js';
import type { Command } from '../../command.js';
import { formatTable, writeJson, writeNote, writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../../parse.js';
import { withClientAdmin } from './with-client-admin.js';

const NAME = 'clients list';
const HELP = `Usage: tessera clients list [--json]

Lists OAuth clients: those from TESSERA_OAUTH_CLIENTS (source "config") and those registered with
"tessera clients add" (source "store"). Secrets are never shown.

Options:
  --json             print a JSON array
${CONFIG_HELP}`;

export const listClientsCommand: Command = {
  summary: 'list OAuth clients',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: NAME,
      help: HELP,
      options: { ...CONFIG_OPTION, json: { type: 'boolean' } },
      positionals: { min: 0, max: 0 },
    });
    if (parsed === undefined) return 0;
    const clients = await withClientAdmin(parsed.values.config, (deps) => listClients(deps));
    if (parsed.values.json) {
      writeJson(clients);
      return 0;
    }
    if (clients.length === 0) writeNote('No clients.');
    else
      writeOut(
        formatTable(['CLIENT_ID', 'NAME', 'TYPE', 'GRANTS', 'SCOPES', 'SOURCE', 'CREATED'], clients.map(row)),
      );
    return 0;
  },
};

function row(client: AdminClientView): string[] {
  return [
    client.client_id,
    client.name,
    client.type,
    client.grant_types.join(',') || '-',
    client.scopes.join(',') || '-',
    client.source,
    client.created_at ?? '-',
  ];
}
