import {
  listUserSessions,
  revokeAllUserSessions,
  revokeSessionById,
} from '../../flows/admin/session-admin.js';
import { commandGroup, type Command } from '../command.js';
import { UsageError } from '../errors.js';
import { withDeps } from '../open-context.js';
import { formatTable, writeJson, writeNote, writeOut } from '../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../parse.js';

const LIST_HELP = `Usage: tessera sessions list <email> [--json]

Lists the user's live sessions (signed-in devices), newest first.

Options:
  --json             print a JSON array
${CONFIG_HELP}`;

const REVOKE_HELP = `Usage: tessera sessions revoke <session-id> [--user <email>]
       tessera sessions revoke --user <email> --all

Revokes one session, or every session of a user, with their refresh tokens: the devices must sign in
again. Access tokens already issued stay valid until they expire (minutes) unless strict mode is on.

Options:
  --user <email>     the session's owner (with an id: a check against a mistyped id)
  --all              with --user: revoke every session of the user
  --json             print the revoked session ids as a JSON array
${CONFIG_HELP}`;

const listSessionsCommand: Command = {
  summary: "list a user's sessions",
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: 'sessions list',
      help: LIST_HELP,
      options: { ...CONFIG_OPTION, json: { type: 'boolean' } },
      positionals: { min: 1, max: 1, missing: 'missing <email>' },
    });
    if (parsed === undefined) return 0;
    const sessions = await withDeps(parsed.values.config, (deps) =>
      listUserSessions(deps, parsed.positionals[0]!),
    );
    if (parsed.values.json) writeJson(sessions.map(({ current: _current, ...session }) => session));
    else if (sessions.length === 0) writeNote('No live sessions.');
    else {
      const headers = ['ID', 'KIND', 'CREATED', 'LAST SEEN', 'EXPIRES', 'IP', 'USER AGENT'];
      const rows = sessions.map((s) => [
        s.id,
        s.kind,
        s.created_at,
        s.last_seen_at,
        s.expires_at,
        s.ip ?? '-',
        s.user_agent ?? '-',
      ]);
      writeOut(formatTable(headers, rows));
    }
    return 0;
  },
};

const revokeSessionsCommand: Command = {
  summary: 'revoke a session, or all of a user’s sessions',
  async run(argv) {
    const name = 'sessions revoke';
    const parsed = parseCommand(argv, {
      name,
      help: REVOKE_HELP,
      options: {
        ...CONFIG_OPTION,
        user: { type: 'string' },
        all: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      positionals: { min: 0, max: 1 },
    });
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    const sessionId = positionals[0];
    if (values.all === true && (values.user === undefined || sessionId !== undefined)) {
      throw new UsageError('--all goes with --user <email> and no session id', name);
    }
    if (sessionId === undefined && values.all !== true) {
      throw new UsageError('give a <session-id>, or --user <email> --all', name);
    }
    const ids = await withDeps(values.config, async (deps) => {
      if (sessionId === undefined) return revokeAllUserSessions(deps, values.user!);
      await revokeSessionById(deps, sessionId, values.user === undefined ? {} : { email: values.user });
      return [sessionId];
    });
    if (values.json) writeJson(ids);
    else writeOut(`Revoked ${ids.length} session${ids.length === 1 ? '' : 's'}.`);
    return 0;
  },
};

/** `tessera sessions …`: see and end users' sessions (src/flows/admin/session-admin.ts). */
export const sessionsCommand = commandGroup('sessions', "list and revoke users' sessions", {
  list: listSessionsCommand,
  revoke: revokeSessionsCommand,
});
