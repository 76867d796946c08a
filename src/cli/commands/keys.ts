import { exportPublicJwks, listSigningKeys } from '../../flows/keys/key-admin.js';
import { describeRotationStep, rotateSigningKeys } from '../../flows/keys/rotate-keys.js';
import { commandGroup, type Command } from '../command.js';
import { withDeps } from '../open-context.js';
import { formatTable, writeJson, writeOut } from '../output.js';
import { CONFIG_HELP, CONFIG_OPTION, parseCommand } from '../parse.js';

const LIST_HELP = `Usage: tessera keys list [--json]

Lists the signing keys: kid, algorithm, state (next, current, retired; "configured" for keys from
TESSERA_SIGNING_KEYS), which one signs, and when it was created. Private key material is never shown.
On a database with no key yet, the first key is generated, as the server's first start would.

Options:
  --json             print a JSON array (with each key's public JWK; null for HMAC secrets)
${CONFIG_HELP}`;

const EXPORT_HELP = `Usage: tessera keys export-public [--config <file>]

Prints the JWK Set the server publishes at /.well-known/jwks.json (public keys only), e.g. for a
resource server that verifies tokens offline: tessera keys export-public > jwks.json

Options:
${CONFIG_HELP}`;

const ROTATE_HELP = `Usage: tessera keys rotate [--json]

Takes one step of signing-key rotation and prints what it did. The first step that applies:
  1. removes retired keys once every token they signed has expired
     (access-token TTL + clock tolerance + JWKS cache time + 1 minute);
  2. promotes the next key to current (the old current key is retired, and still verifies) once it
     has been published for the JWKS cache time + 1 minute, so every verifier has it;
  3. publishes a new next key of TESSERA_ALGORITHM when there is none (it verifies and is in the
     JWKS at once, but signs only once promoted).
Run it again later for the next step; running servers pick changes up within a minute. Safe to run
on several hosts at once: they all take the same step. With TESSERA_KEY_ROTATION_INTERVAL set, each
server runs these steps itself.

Options:
  --json             print the step as JSON
${CONFIG_HELP}`;

const rotateKeysCommand: Command = {
  summary: 'take one signing-key rotation step',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: 'keys rotate',
      help: ROTATE_HELP,
      options: { ...CONFIG_OPTION, json: { type: 'boolean' } },
      positionals: { min: 0, max: 0 },
    });
    if (parsed === undefined) return 0;
    const step = await withDeps(parsed.values.config, (deps) => rotateSigningKeys(deps));
    if (parsed.values.json) writeJson(step);
    else writeOut(describeRotationStep(step));
    return 0;
  },
};

const listKeysCommand: Command = {
  summary: 'list signing keys (never private material)',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: 'keys list',
      help: LIST_HELP,
      options: { ...CONFIG_OPTION, json: { type: 'boolean' } },
      positionals: { min: 0, max: 0 },
    });
    if (parsed === undefined) return 0;
    const keys = await withDeps(parsed.values.config, listSigningKeys);
    if (parsed.values.json) writeJson(keys);
    else {
      const rows = keys.map((key) => [
        key.kid,
        key.alg,
        key.state,
        key.signing ? 'yes' : 'no',
        key.public_jwk === null ? 'no (HMAC)' : 'yes',
        key.created_at ?? '-',
      ]);
      writeOut(formatTable(['KID', 'ALG', 'STATE', 'SIGNING', 'PUBLISHED', 'CREATED'], rows));
    }
    return 0;
  },
};

const exportPublicCommand: Command = {
  summary: 'print the public JWKS',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: 'keys export-public',
      help: EXPORT_HELP,
      options: CONFIG_OPTION,
      positionals: { min: 0, max: 0 },
    });
    if (parsed === undefined) return 0;
    writeJson(await withDeps(parsed.values.config, async (deps) => exportPublicJwks(deps)));
    return 0;
  },
};

/** `tessera keys …`: the signing keys and their rotation. */
export const keysCommand = commandGroup('keys', 'inspect and rotate signing keys', {
  list: listKeysCommand,
  'export-public': exportPublicCommand,
  rotate: rotateKeysCommand,
});
