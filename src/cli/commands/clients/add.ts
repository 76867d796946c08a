import { registerClient } from '../../../flows/admin/client-admin.js';
import { SCOPE_TOKEN_SHAPE } from '../../../wire/oauth-scope.js';
import type { OAuthGrantType } from '../../../stores/types.js';
import type { Command } from '../../command.js';
import { UsageError } from '../../errors.js';
import { writeJson, writeNote, writeOut } from '../../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../../parse.js';
import { withClientAdmin } from './with-client-admin.js';

const NAME = 'clients add';
const GRANTS: readonly OAuthGrantType[] = ['password', 'refresh_token'];
const HELP = `Usage: tessera clients add <name> [--confidential | --public] [--grant <list>] [--scope <list>] [--json]

Registers an OAuth client for /oauth/token, /oauth/revoke and /oauth/introspect, with a random
client_id. A confidential client (the default) gets a generated secret, printed ONCE: only its SHA-256
is stored, so it cannot be shown again. Public clients (apps that cannot keep a secret) have none and
cannot use /oauth/introspect.

Options:
  --confidential     a client that keeps a secret (default)
  --public           a client without a secret
  --grant <list>     comma-separated grant types: password, refresh_token (default both)
  --scope <list>     comma-separated scope values the client may request (default none)
  --json             print {client, client_secret} as JSON
${CONFIG_HELP}

Exit status: 0 created, 1 refused (store error), 2 usage, 78 configuration.`;

export const addClientCommand: Command = {
  summary: 'register an OAuth client (prints its secret once)',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: NAME,
      help: HELP,
      options: {
        ...CONFIG_OPTION,
        confidential: { type: 'boolean' },
        public: { type: 'boolean' },
        grant: { type: 'string' },
        scope: { type: 'string' },
        json: { type: 'boolean' },
      },
      positionals: { min: 1, max: 1, missing: 'missing <name>' },
    });
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    if (values.public === true && values.confidential === true) {
      throw new UsageError('choose one of --confidential and --public', NAME);
    }
    const name = positionals[0]!.trim();
    if (name === '' || name.length > 200 || /[\p{Cc}]/u.test(name)) {
      throw new UsageError('<name> must be 1-200 printable characters', NAME);
    }
    const grantTypes = values.grant === undefined ? [...GRANTS] : parseGrants(values.grant);
    const scopes = values.scope === undefined ? [] : parseScopes(values.scope);
    const { client, clientSecret } = await withClientAdmin(values.config, (deps) =>
      registerClient(deps, {
        name,
        type: values.public === true ? 'public' : 'confidential',
        grantTypes,
        scopes,
      }),
    );
    if (values.json) {
      writeJson({ client, client_secret: clientSecret });
      return 0;
    }
    writeOut(`Created ${client.type} client "${client.name}".`);
    writeOut(`client_id:     ${client.client_id}`);
    if (clientSecret !== null) {
      writeOut(`client_secret: ${clientSecret}`);
      writeNote('Store the secret now: it is not kept and cannot be shown again.');
    }
    return 0;
  },
};

function parseGrants(list: string): OAuthGrantType[] {
  const items = splitList(list);
  const unknown = items.find((item) => !(GRANTS as readonly string[]).includes(item));
  if (unknown !== undefined || items.length === 0) {
    throw new UsageError(
      `--grant takes password and/or refresh_token (got "${(unknown ?? '').slice(0, 40)}")`,
      NAME,
    );
  }
  return items as OAuthGrantType[];
}

function parseScopes(list: string): string[] {
  const items = splitList(list);
  if (items.length === 0 || items.some((item) => !SCOPE_TOKEN_SHAPE.test(item))) {
    throw new UsageError(
      '--scope takes comma-separated scope values (printable ASCII, no spaces, quotes or \\)',
      NAME,
    );
  }
  return items;
}

function splitList(list: string): string[] {
  return list
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
