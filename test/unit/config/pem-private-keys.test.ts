/** @see issue #12: TESSERA_SIGNING_KEYS=@key.pem answered "the JSON does not parse". */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { configError } from './fixtures.js';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ecPkcs8 = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
const ecSec1 = ec.privateKey.export({ format: 'pem', type: 'sec1' }) as string;
const edPkcs8 = ed.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
const rsaPkcs1 = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }) as string;
const ecJwk = ec.privateKey.export({ format: 'jwk' });

const dir = mkdtempSync(join(tmpdir(), 'tessera-pem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keysOf(env: Record<string, string>): Record<string, unknown>[] {
  return loadConfig({ env }).signingKeys!.keys;
}

describe('TESSERA_SIGNING_KEYS as PEM private keys', () => {
  it('reads an inline PKCS#8 EC key as a private JWK with its one alg', () => {
    expect(keysOf({ TESSERA_SIGNING_KEYS: ecPkcs8 })).toEqual([{ ...ecJwk, alg: 'ES256' }]);
  });

  it('reads a SEC1 EC key from @file the same way', () => {
    const path = join(dir, 'ec.pem');
    writeFileSync(path, ecSec1);
    expect(keysOf({ TESSERA_SIGNING_KEYS: `@${path}` })).toEqual([{ ...ecJwk, alg: 'ES256' }]);
  });

  it('reads several blocks from one file, in order', () => {
    const path = join(dir, 'several.pem');
    writeFileSync(path, `${ecPkcs8}\n${edPkcs8}`);
    const keys = keysOf({ TESSERA_SIGNING_KEYS: `@${path}` });
    expect(keys.map((key) => [key.kty, key.alg])).toEqual([
      ['EC', 'ES256'],
      ['OKP', 'EdDSA'],
    ]);
  });

  it('leaves an RSA key to TESSERA_ALGORITHM', () => {
    const keys = keysOf({ TESSERA_ALGORITHM: 'PS256', TESSERA_SIGNING_KEYS: rsaPkcs1 });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', n: rsa.privateKey.export({ format: 'jwk' }).n });
    expect(keys[0]!.alg).toBeUndefined();
  });

  const encrypted = ec.privateKey.export({
    format: 'pem',
    type: 'pkcs8',
    cipher: 'aes-256-cbc',
    passphrase: 'test passphrase',
  }) as string;
  const weakRsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
    format: 'pem',
    type: 'pkcs8',
  }) as string;
  const publicPem = ec.publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const garbled = '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n';

  it.each([
    ['a public key', publicPem, 'PEM block 0 (PUBLIC KEY) is not a private key'],
    ['an encrypted key', encrypted, 'PEM block 0 (ENCRYPTED PRIVATE KEY) is encrypted; decrypt it first'],
    ['a block without its END line', ecPkcs8.replace(/-----END[^]*$/, ''), 'no complete BEGIN/END block'],
    ['a block that is not a key', garbled, 'PEM block 0 (PRIVATE KEY) is not a private key Tessera can use'],
    [
      'a second block that is public',
      `${ecPkcs8}${publicPem}`,
      'PEM block 1 (PUBLIC KEY) is not a private key',
    ],
  ])('refuses %s, naming the block and never its content', (_case, value, rule) => {
    const error = configError({ env: { TESSERA_SIGNING_KEYS: value } });
    expect(error.variable).toBe('TESSERA_SIGNING_KEYS');
    expect(error.message).toContain(rule);
    expect(error.message).toContain('(value hidden)');
    expect(error.message).not.toContain('MII');
  });

  it('refuses a key the server would refuse (RSA below 2048 bits) as a configuration error', () => {
    const error = configError({ env: { TESSERA_ALGORITHM: 'RS256', TESSERA_SIGNING_KEYS: weakRsa } });
    expect(error.message).toContain('keys[0] was refused: RS256 needs an RSA modulus of at least 2048 bits');
  });
});
