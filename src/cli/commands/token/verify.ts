import { systemClock } from '../../../platform/clock.js';
import { isJwsAlgorithm, JWS_ALGORITHMS, type JwsAlgorithm } from '../../../token/algorithms.js';
import { verifyJwt } from '../../../token/jwt-verify.js';
import type { Command } from '../../command.js';
import { UsageError } from '../../errors.js';
import { createPalette, wantsColor, writeJson, writeOut } from '../../output.js';
import { parseCommand } from '../../parse.js';
import type { KeySource } from './key-source.js';
import { loadVerificationKeys } from './key-source.js';
import { formatToken } from './print-token.js';
import { readTokenArgument } from './read-token.js';

const NAME = 'token verify';
const HELP = `Usage: tessera token verify <token|-> (--jwks <url> | --jwks-file <path> | --key <file>)
                            [--issuer <iss>] [--audience <aud>] [--alg <alg> ...] [--typ <typ>] [--json]

Verifies a JWT's signature, then its claims (exp and nbf always, with 30 s of clock skew; iss, aud and
typ when given), by the same rules as the server (RFC 8725). Prints the verified header and claims,
or one line with the reason, e.g. "invalid token: token_expired: …". Pass "-" to read the token from stdin.

Keys (exactly one):
  --jwks <url>         fetch a JWK Set, e.g. http://127.0.0.1:3000/.well-known/jwks.json
  --jwks-file <path>   a JWK Set file (e.g. from "tessera keys export-public")
  --key <file>         a PEM key or certificate, a JWK or a JWK Set (a PEM needs --alg)

Options:
  --issuer <iss>       required "iss"
  --audience <aud>     required "aud" (one of the token's audiences)
  --alg <alg>          accepted algorithm; repeat for several (default: any the key allows)
                       ${JWS_ALGORITHMS.join(', ')}
  --typ <typ>          required header "typ", e.g. at+jwt
  --json               print {"verified": true, "header": …, "payload": …}
  --no-color           no colours

Exit status: 0 valid, 1 invalid (or the keys could not be loaded), 2 usage.`;

export const verifyTokenCommand: Command = {
  summary: 'verify a token’s signature and claims',
  async run(argv) {
    const parsed = parseCommand(argv, {
      name: NAME,
      help: HELP,
      options: {
        jwks: { type: 'string' },
        'jwks-file': { type: 'string' },
        key: { type: 'string' },
        issuer: { type: 'string' },
        audience: { type: 'string' },
        alg: { type: 'string', multiple: true },
        typ: { type: 'string' },
        json: { type: 'boolean' },
        'no-color': { type: 'boolean' },
      },
      positionals: { min: 1, max: 1, missing: 'missing <token> (or "-" to read it from stdin)' },
    });
    if (parsed === undefined) return 0;
    const { values } = parsed;
    const source = keySource(values.jwks, values['jwks-file'], values.key);
    const algorithms = parseAlgorithms(values.alg ?? []);
    const token = await readTokenArgument(parsed.positionals[0]!);
    const keys = await loadVerificationKeys(source, algorithms?.length === 1 ? algorithms[0] : undefined);
    const { header, payload } = verifyJwt(token, keys, {
      ...(algorithms && { algorithms }),
      ...(values.issuer !== undefined && { issuer: values.issuer }),
      ...(values.audience !== undefined && { audience: values.audience }),
      ...(values.typ !== undefined && { typ: values.typ }),
    });
    if (values.json) {
      writeJson({ verified: true, header, payload });
      return 0;
    }
    const palette = createPalette(wantsColor(process.stdout, values['no-color'] === true));
    // Quoted, so no raw control character from the token reaches the terminal.
    const kid = header.kid === undefined ? '' : `, kid ${JSON.stringify(header.kid)}`;
    const label = `VERIFIED: signature (${header.alg}${kid}) and claims are valid.`;
    writeOut(formatToken({ header, payload, verified: true, label, palette, now: systemClock.now() }));
    return 0;
  },
};

function keySource(jwks?: string, jwksFile?: string, key?: string): KeySource {
  const given = [jwks, jwksFile, key].filter((value) => value !== undefined);
  if (given.length !== 1) throw new UsageError('give exactly one of --jwks, --jwks-file or --key', NAME);
  if (jwks !== undefined) return { jwksUrl: jwks };
  if (jwksFile !== undefined) return { jwksFile };
  return { keyFile: key! };
}

function parseAlgorithms(values: readonly string[]): JwsAlgorithm[] | undefined {
  if (values.length === 0) return undefined;
  for (const value of values) {
    if (!isJwsAlgorithm(value)) throw new UsageError(`--alg: unsupported algorithm "${value}"`, NAME);
  }
  return values as JwsAlgorithm[];
}
