import { commandGroup } from '../command.js';
import { addUserCommand } from './users/add.js';
import { deleteUserCommand } from './users/delete.js';
import { disableUserCommand, enableUserCommand } from './users/disable.js';
import { listUsersCommand } from './users/list.js';
import { lockUserCommand, unlockUserCommand } from './users/lock.js';
import { sendResetCommand } from './users/send-reset.js';
import { setRolesCommand } from './users/set-roles.js';
import { verifyEmailCommand } from './users/verify-email.js';
import { usersMfaCommand } from './users/mfa.js';

/** `tessera users …`: account administration over the configured store (src/flows/admin/user-admin.ts). */
export const usersCommand = commandGroup('users', 'manage user accounts', {
  add: addUserCommand,
  list: listUsersCommand,
  'set-roles': setRolesCommand,
  lock: lockUserCommand,
  unlock: unlockUserCommand,
  disable: disableUserCommand,
  enable: enableUserCommand,
  delete: deleteUserCommand,
  'verify-email': verifyEmailCommand,
  'send-reset': sendResetCommand,
  mfa: usersMfaCommand,
});
