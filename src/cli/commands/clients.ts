import { commandGroup } from '../command.js';
import { addClientCommand } from './clients/add.js';
import { listClientsCommand } from './clients/list.js';
import { removeClientCommand } from './clients/remove.js';

/** `tessera clients …`: OAuth client registration over the configured store (src/flows/admin/client-admin.ts). */
export const clientsCommand = commandGroup('clients', 'manage OAuth clients', {
  add: addClientCommand,
  list: listClientsCommand,
  remove: removeClientCommand,
});
