import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deriveSuccessorToken,
  generateOpaqueToken,
  hashTokenSecret,
  parseOpaqueToken,
  tokenSecretMatches,
} from '../../../../src/flows/sessions/opaque-token.js';
import { cryptoRandom } from '../../../../src/platform/random.js';
import { createSeededRandom } from '../../../helpers/test-deps.js';

const ID = 'A'.repeat(22);
const SECRET = 'B'.repeat(43);

describe('generateOpaqueToken', () => {
  it('is <22 base64url chars (128 bits)>.<43 base64url chars (256 bits)>', () => {
    const token = generateOpaqueToken(cryptoRandom);
    expect(token.token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(token.token).toBe(`${token.id}.${token.secret}`);
    expect(Buffer.from(token.id, 'base64url')).toHaveLength(16);
    expect(Buffer.from(token.secret, 'base64url')).toHaveLength(32);
  });

  it('draws id and secret from the injected Random', () => {
    expect(generateOpaqueToken(createSeededRandom('s')).token).toBe(
      generateOpaqueToken(createSeededRandom('s')).token,
    );
    const random = createSeededRandom('s');
    expect(generateOpaqueToken(random).token).not.toBe(generateOpaqueToken(random).token);
  });

  it('parses back into its own id and secret', () => {
    const token = generateOpaqueToken(cryptoRandom);
    expect(parseOpaqueToken(token.token)).toEqual({ id: token.id, secret: token.secret });
  });
});

describe('parseOpaqueToken', () => {
  it('accepts the exact shape, every base64url character included', () => {
    expect(parseOpaqueToken(`${ID}.${SECRET}`)).toEqual({ id: ID, secret: SECRET });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const id = alphabet.slice(0, 22);
    const secret = alphabet.slice(21, 64);
    expect(parseOpaqueToken(`${id}.${secret}`)).toEqual({ id, secret });
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { id: ID, secret: SECRET }],
    ['an array', [ID, SECRET]],
    ['a Buffer', Buffer.from(`${ID}.${SECRET}`)],
    ['an empty string', ''],
    ['a lone dot', '.'],
    ['no dot', `${ID}${SECRET}`],
    ['no secret', `${ID}.`],
    ['no id', `.${SECRET}`],
    ['two dots', `${ID}.${SECRET}.`],
    ['three parts', `${ID}.${SECRET}.${SECRET}`],
    ['an id one short', `${ID.slice(1)}.${SECRET}`],
    ['an id one long', `${ID}A.${SECRET}`],
    ['a secret one short', `${ID}.${SECRET.slice(1)}`],
    ['a secret one long', `${ID}.${SECRET}B`],
    ['padding', `${ID}.${SECRET.slice(1)}=`],
    ['"+" (standard base64)', `${ID.slice(1)}+.${SECRET}`],
    ['"/" (standard base64)', `${ID}.${SECRET.slice(1)}/`],
    ['a leading space', ` ${ID}.${SECRET}`],
    ['a trailing space', `${ID}.${SECRET} `],
    ['a trailing newline', `${ID}.${SECRET}\n`],
    ['a space inside', `${ID.slice(1)} .${SECRET}`],
    ['a NUL byte', `${ID.slice(1)}\u0000.${SECRET}`],
    ['a non-ASCII letter', `${ID.slice(1)}é.${SECRET}`],
    ['a fullwidth letter', `${ID.slice(1)}Ａ.${SECRET}`],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
    ['a Bearer prefix', `Bearer ${ID}.${SECRET}`],
  ])('rejects %s', (_name, value) => {
    expect(parseOpaqueToken(value)).toBeUndefined();
  });
});

describe('hashTokenSecret and tokenSecretMatches', () => {
  it('stores SHA-256 of the secret, base64url without padding', () => {
    expect(hashTokenSecret(SECRET)).toBe(createHash('sha256').update(SECRET).digest('base64url'));
    expect(hashTokenSecret(SECRET)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashTokenSecret(SECRET)).not.toContain(SECRET);
  });

  it('matches the secret it was made from', () => {
    expect(tokenSecretMatches(SECRET, hashTokenSecret(SECRET))).toBe(true);
  });

  it.each<[string, string, string]>([
    ['another secret', 'C'.repeat(43), hashTokenSecret(SECRET)],
    ['a secret differing in its last character', `${SECRET.slice(0, -1)}C`, hashTokenSecret(SECRET)],
    ['an empty secret', '', hashTokenSecret(SECRET)],
    ['the stored hash presented as the secret', hashTokenSecret(SECRET), hashTokenSecret(SECRET)],
    ['an empty stored hash', SECRET, ''],
    ['a truncated stored hash', SECRET, hashTokenSecret(SECRET).slice(0, 40)],
    ['a stored hash of another length', SECRET, Buffer.alloc(33).toString('base64url')],
    ['the secret stored in clear', SECRET, SECRET],
  ])('does not match %s', (_name, secret, stored) => {
    expect(tokenSecretMatches(secret, stored)).toBe(false);
  });
});

describe('deriveSuccessorToken', () => {
  const key = Buffer.alloc(32, 1);
  const token = `${ID}.${SECRET}`;

  it('is deterministic per (key, token)', () => {
    expect(deriveSuccessorToken(key, token)).toEqual(deriveSuccessorToken(Buffer.from(key), token));
  });

  it('has the shape of an issued token', () => {
    const next = deriveSuccessorToken(key, token);
    expect(parseOpaqueToken(next.token)).toEqual({ id: next.id, secret: next.secret });
    expect(next.token).toBe(`${next.id}.${next.secret}`);
  });

  it('differs for another key', () => {
    const a = deriveSuccessorToken(key, token);
    const b = deriveSuccessorToken(Buffer.alloc(32, 2), token);
    expect(b.id).not.toBe(a.id);
    expect(b.secret).not.toBe(a.secret);
  });

  it('differs for another token, even one differing only in the secret', () => {
    const a = deriveSuccessorToken(key, token);
    const b = deriveSuccessorToken(key, `${ID}.${'C'.repeat(43)}`);
    const c = deriveSuccessorToken(key, `${'D'.repeat(22)}.${SECRET}`);
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(new Set([a.secret, b.secret, c.secret]).size).toBe(3);
  });

  it('never reproduces the presented token, and its id and secret are independent', () => {
    const next = deriveSuccessorToken(key, token);
    expect(next.token).not.toBe(token);
    expect(next.id).not.toBe(ID);
    expect(next.secret.startsWith(next.id)).toBe(false);
  });

  it('chains: the successor of a successor is yet another token', () => {
    const one = deriveSuccessorToken(key, token);
    const two = deriveSuccessorToken(key, one.token);
    expect(new Set([token, one.token, two.token]).size).toBe(3);
  });
});
