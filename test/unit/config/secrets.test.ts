import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configError, EC_PRIVATE_JWK, MASTER_KEY_HEX } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PRIVATE_D = EC_PRIVATE_JWK.d;
const PASSWORD = 'Sh0rt!';

/** [case, env, secret that must not appear anywhere in the message]. */
const LEAKS: [string, Record<string, string>, string][] = [
  [
    'a master key of the wrong length',
    { TESSERA_MASTER_KEY: MASTER_KEY_HEX.slice(2) },
    MASTER_KEY_HEX.slice(2),
  ],
  [
    'a signing key set that does not parse',
    { TESSERA_SIGNING_KEYS: `{"keys":[{"d":"${PRIVATE_D}"` },
    PRIVATE_D,
  ],
  [
    'a signing key without kty',
    { TESSERA_SIGNING_KEYS: JSON.stringify({ keys: [{ d: PRIVATE_D }] }) },
    PRIVATE_D,
  ],
  [
    'a signing key that does not suit the algorithm',
    { TESSERA_ALGORITHM: 'RS256', TESSERA_SIGNING_KEYS: JSON.stringify({ keys: [EC_PRIVATE_JWK] }) },
    PRIVATE_D,
  ],
  [
    'a bootstrap password below the minimum length',
    { TESSERA_BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com', TESSERA_BOOTSTRAP_ADMIN_PASSWORD: PASSWORD },
    PASSWORD,
  ],
  ['a database password', { TESSERA_DATABASE_URL: 'mysql://tessera:db-Pa55word@db/tessera' }, 'db-Pa55word'],
  ['a Redis password', { TESSERA_REDIS_URL: 'http://:redis-Pa55word@cache:6379' }, 'redis-Pa55word'],
];

describe('secret values are never echoed', () => {
  it.each(LEAKS)('%s', (_case, env, secret) => {
    const error = configError({ env });
    expect(error.message).not.toContain(secret);
    expect(error.rule).not.toContain(secret);
    expect(String(error.stack)).not.toContain(secret);
  });

  it('says (value hidden) for secret fields', () => {
    expect(configError({ env: { TESSERA_MASTER_KEY: 'nope' } }).message).toMatch(/\(value hidden\)$/);
    expect(configError({ env: { TESSERA_SIGNING_KEYS: '{}' } }).message).toMatch(/\(value hidden\)$/);
  });

  it('masks URL credentials but keeps the rest of the value for diagnosis', () => {
    expect(configError({ env: { TESSERA_DATABASE_URL: 'mysql://tessera:pw@db/tessera' } }).message).toContain(
      '(got "mysql://tessera:***@db/tessera")',
    );
    expect(configError({ env: { TESSERA_REDIS_URL: 'http://:pw@cache:6379' } }).message).toContain(
      '(got "http://:***@cache:6379")',
    );
  });

  it('names the key file it could not read, but never its content', () => {
    const path = join(dir, 'keys.json');
    writeFileSync(path, `{"keys":[{"kty":"EC","x":"${PRIVATE_D}"`);
    const error = configError({ env: { TESSERA_SIGNING_KEYS: `@${path}` } });
    expect(error.message).not.toContain(PRIVATE_D);
    expect(error.message).toMatch(/^TESSERA_SIGNING_KEYS: .*the JSON does not parse \(value hidden\)$/);
  });
});
