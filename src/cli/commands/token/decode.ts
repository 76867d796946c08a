import { systemClock } from '../../../platform/clock.js';
import { decodeJwtUnverified } from '../../../token/decode.js';
import type { Command } from '../../command.js';
import { createPalette, wantsColor, writeJson, writeOut } from '../../output.js';
import { parseCommand } from '../../parse.js';
import { formatToken } from './print-token.js';
import { readTokenArgument } from './read-token.js';

const HELP = `Usage: tessera token decode <token|-> [--json] [--no-color]

Prints a JWT's header and payload, with its expiry in words ("expires in 14 minutes"). Nothing is
verified: neither the signature nor the claims. Use "tessera token verify" to check a token.
Pass "-" to read the token from stdin.

Options:
  --json             print {"verified": false, "header": …, "payload": …}
  --no-color         no colours (also: NO_COLOR set, or stdout not a terminal)

Exit status: 0 decoded, 1 not a JWT, 2 usage.`;

export const decodeTokenCommand: Command = {
  summary: 'show a token’s header and claims (NOT verified)',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: 'token decode',
      help: HELP,
      options: { json: { type: 'boolean' }, 'no-color': { type: 'boolean' } },
      positionals: { min: 1, max: 1, missing: 'missing <token> (or "-" to read it from stdin)' },
    });
    if (parsed === undefined) return 0;
    const { header, payload } = decodeJwtUnverified(await readTokenArgument(parsed.positionals[0]!));
    if (parsed.values.json) {
      writeJson({ verified: false, header, payload });
      return 0;
    }
    const palette = createPalette(wantsColor(process.stdout, parsed.values['no-color'] === true));
    const label = 'NOT VERIFIED: decoded only; the signature and claims were not checked.';
    writeOut(formatToken({ header, payload, verified: false, label, palette, now: systemClock.now() }));
    return 0;
  },
};
