/**
 * EC keys must name their curve (RFC 5480 §2.1.1): explicit curve parameters are refused.
 * The fixtures were made with the openssl CLI:
 *   openssl ecparam -name prime256v1 -genkey -param_enc explicit -noout \
 *     | openssl ec -param_enc explicit -pubout > p256-explicit-parameters.pub.pem
 * (secp384r1 for the P-384 one). They are public keys only.
 * @see issue #10 (2. Key import refuses weak and ambiguous keys)
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importKey } from '../../../src/keys/import-key.js';
import type { Jwk } from '../../../src/keys/jwk.js';
import { expectKeyError } from '../../helpers/token-kit.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const p256Explicit = fixture('p256-explicit-parameters.pub.pem');
const p384Explicit = fixture('p384-explicit-parameters.pub.pem');
const NAMED_CURVE_RULE = /names its curve \(RFC 5480\)/;

function der(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const size = body.length;
  const length = size < 0x80 ? [size] : size < 0x100 ? [0x81, size] : [0x82, size >> 8, size & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

/** The AlgorithmIdentifier (id-ecPublicKey plus the explicit ECParameters) of the P-256 fixture. */
function explicitAlgorithmIdentifier(): Buffer {
  const spki = createPublicKey(p256Explicit).export({ type: 'spki', format: 'der' });
  // SEQUENCE (4-byte header) { SEQUENCE (4-byte header) { ... } ... }: both longer than 255 bytes.
  const algorithmLength = spki.readUInt16BE(6);
  return spki.subarray(4, 8 + algorithmLength);
}

/** A P-256 private key as PKCS #8 whose AlgorithmIdentifier carries explicit curve parameters. */
function explicitPrivateKey() {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const [d, x, y] = [jwk.d!, jwk.x!, jwk.y!].map((value) => Buffer.from(value, 'base64url'));
  const point = Buffer.concat([Buffer.from([0x00, 0x04]), x!, y!]);
  const ecPrivateKey = der(0x30, der(0x02, Buffer.from([1])), der(0x04, d!), der(0xa1, der(0x03, point)));
  const pkcs8 = der(
    0x30,
    der(0x02, Buffer.from([0])),
    explicitAlgorithmIdentifier(),
    der(0x04, ecPrivateKey),
  );
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
}

describe('EC keys with explicit curve parameters', () => {
  it('are read by node:crypto as if they named the curve (why the encoding must be checked)', () => {
    expect(createPublicKey(p256Explicit).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(explicitPrivateKey().asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it.each([
    ['ES256', 'P-256 public key as PEM', () => ({ pem: p256Explicit })],
    ['ES256', 'P-256 public key as KeyObject', () => ({ keyObject: createPublicKey(p256Explicit) })],
    ['ES384', 'P-384 public key as PEM', () => ({ pem: p384Explicit })],
    ['ES256', 'P-256 private key as KeyObject', () => ({ keyObject: explicitPrivateKey() })],
    [
      'ES256',
      'P-256 private key as PKCS #8 PEM',
      () => ({ pem: explicitPrivateKey().export({ type: 'pkcs8', format: 'pem' }).toString() }),
    ],
  ] as const)('%s refuses a %s', (alg, _name, material) => {
    const error = expectKeyError(() => importKey({ alg, ...material() }));
    expect(error.message).toMatch(NAMED_CURVE_RULE);
    expect(error.message).toContain(alg);
  });

  it('the same point, named by its curve, imports', () => {
    const jwk = createPublicKey(p256Explicit).export({ format: 'jwk' }) as Jwk;
    expect(importKey({ alg: 'ES256', jwk }).alg).toBe('ES256');
    const named = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    expect(importKey({ alg: 'ES256', pem: named.toString() }).alg).toBe('ES256');
  });
});
