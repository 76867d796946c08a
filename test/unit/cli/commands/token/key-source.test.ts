/**
 * `tessera token verify --jwks-file` reads a configured set: a member it cannot use is refused and
 * named, not skipped; so are duplicate kids and a secret beside public keys.
 * @see issue #10 (2. Key import refuses weak and ambiguous keys)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadVerificationKeys } from '../../../../../src/cli/commands/token/key-source.js';
import { generateKey } from '../../../../../src/keys/generate-key.js';
import { exportPublicJwk } from '../../../../../src/keys/jwk.js';
import { KeyError } from '../../../../../src/token/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-key-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const es = exportPublicJwk(generateKey('ES256', { kid: 'es' }));
const secret = { kty: 'oct', kid: 'hs', alg: 'HS256', k: Buffer.alloc(32, 3).toString('base64url') };

function jwksFile(name: string, keys: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ keys }));
  return path;
}

describe('--jwks-file', () => {
  it('verifies with a set whose every member imports', async () => {
    const lookup = await loadVerificationKeys({ jwksFile: jwksFile('good.json', [es]) }, undefined);
    expect(lookup.findKey('es', 'ES256')?.kid).toBe('es');
  });

  it.each<[string, unknown[], RegExp]>([
    [
      'a member it cannot parse (k not canonical base64url)',
      [secret, { ...secret, kid: 'hs-2', k: `${secret.k.slice(0, -1)}d` }],
      /keys\[1\] \(kid "hs-2"\) was refused/,
    ],
    ['an encryption key', [es, { ...es, kid: 'enc', use: 'enc' }], /keys\[1\] \(kid "enc"\) has a "use"/],
    ['duplicate kids', [es, { ...exportPublicJwk(generateKey('ES256')), kid: 'es' }], /repeats the kid/],
    ['a secret beside a public key', [es, secret], /mixes a secret key/],
  ])('refuses %s, naming it', async (name, keys, message) => {
    const path = jwksFile(`${name.replace(/\W+/g, '-')}.json`, keys);
    const error = await loadVerificationKeys({ jwksFile: path }, undefined).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(KeyError);
    expect((error as KeyError).message).toMatch(message);
  });
});
