import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { configError, EC_PRIVATE_JWK, MASTER_KEY_HEX } from './fixtures.js';

let dir: string;
let count = 0;

/** Writes a config file (an object is JSON-encoded, a string written as is) and returns its path. */
function configFile(content: unknown): string {
  const path = join(dir, `tessera-${++count}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-config-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('config file', () => {
  it('sets fields with the Config names and nesting', () => {
    const file = configFile({
      port: 4000,
      issuer: 'https://auth.example.com',
      accessTokenTtlSeconds: '10m',
      refreshTokenTtlSeconds: 86_400,
      strictMode: true,
      corsOrigins: ['https://app.example.com'],
      rateLimits: { loginPerIp: { max: 3, windowSeconds: 30 }, refreshPerIp: '10/1m' },
      lockout: { threshold: 3 },
      password: { minLength: 12 },
      signingKeys: { keys: [EC_PRIVATE_JWK] },
      bootstrapAdmin: { email: 'admin@example.com', password: 'file password 123' },
    });
    const config = loadConfig({ env: {}, file });
    expect(config).toMatchObject({
      port: 4000,
      issuer: 'https://auth.example.com',
      accessTokenTtlSeconds: 600,
      refreshTokenTtlSeconds: 86_400,
      strictMode: true,
      corsOrigins: ['https://app.example.com'],
      rateLimits: {
        loginPerIp: { max: 3, windowSeconds: 30 },
        loginPerAccount: { max: 10, windowSeconds: 300 },
        refreshPerIp: { max: 10, windowSeconds: 60 },
      },
      lockout: { threshold: 3, baseSeconds: 30, maxSeconds: 3600 },
      password: { minLength: 12, maxLength: 128 },
      signingKeys: { keys: [EC_PRIVATE_JWK] },
      bootstrapAdmin: { email: 'admin@example.com', password: 'file password 123' },
    });
  });

  it('the environment wins over the file, field by field', () => {
    const file = configFile({
      host: '0.0.0.0',
      port: 4000,
      logLevel: 'debug',
      lockout: { threshold: 3, maxSeconds: 600 },
      mail: { devOutbox: 'true' },
    });
    const config = loadConfig({ env: { TESSERA_PORT: '5000', TESSERA_LOCKOUT_THRESHOLD: '9' }, file });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 5000,
      logLevel: 'debug',
      issuer: 'http://0.0.0.0:5000',
    });
    expect(config.lockout).toEqual({ threshold: 9, baseSeconds: 30, maxSeconds: 600 });
  });

  it('the bootstrap admin can take its e-mail from the file and its password from the environment', () => {
    const file = configFile({ bootstrapAdmin: { email: 'admin@example.com' } });
    const config = loadConfig({ env: { TESSERA_BOOTSTRAP_ADMIN_PASSWORD: 'env password 123' }, file });
    expect(config.bootstrapAdmin).toEqual({ email: 'admin@example.com', password: 'env password 123' });
  });

  it('an empty variable switches off a nullable value the file set', () => {
    const file = configFile({ redisUrl: 'redis://cache:6379', masterKey: MASTER_KEY_HEX });
    const config = loadConfig({ env: { TESSERA_REDIS_URL: '', TESSERA_MASTER_KEY: '' }, file });
    expect(config.redisUrl).toBeNull();
    expect(config.masterKey).toBeNull();
  });

  it('null in the file means unset for nullable fields', () => {
    const file = configFile({ redisUrl: null, bootstrapAdmin: null, issuer: null, port: 4001 });
    const config = loadConfig({ env: {}, file });
    expect(config).toMatchObject({ redisUrl: null, bootstrapAdmin: null, issuer: 'http://127.0.0.1:4001' });
  });

  it('is found through TESSERA_CONFIG_FILE', () => {
    const file = configFile({ port: 4002 });
    expect(loadConfig({ env: { TESSERA_CONFIG_FILE: file } }).port).toBe(4002);
  });

  it('the file option wins over TESSERA_CONFIG_FILE', () => {
    const fromEnv = configFile({ port: 4003 });
    const fromOption = configFile({ port: 4004 });
    expect(loadConfig({ env: { TESSERA_CONFIG_FILE: fromEnv }, file: fromOption }).port).toBe(4004);
  });

  it('an empty TESSERA_CONFIG_FILE means no file', () => {
    expect(loadConfig({ env: { TESSERA_CONFIG_FILE: '' } }).port).toBe(3000);
  });

  it('a signing key set may be named with @path in the file too', () => {
    const keys = configFile({ keys: [EC_PRIVATE_JWK] });
    const config = loadConfig({ env: {}, file: configFile({ signingKeys: `@${keys}` }) });
    expect(config.signingKeys).toEqual({ keys: [EC_PRIVATE_JWK] });
  });
});

describe('config file errors', () => {
  it('names the variable and where the bad value came from', () => {
    const file = configFile({ port: 70000 });
    const error = configError({ env: {}, file });
    expect(error.variable).toBe('TESSERA_PORT');
    expect(error.message).toBe(
      `TESSERA_PORT (port in ${file}): must be an integer from 0 to 65535 (got 70000)`,
    );
  });

  it('names nested fields with their path', () => {
    const file = configFile({ rateLimits: { loginPerIp: { max: 0, windowSeconds: 60 } } });
    expect(configError({ env: {}, file }).message).toBe(
      `TESSERA_RATE_LIMIT_LOGIN_IP (rateLimits.loginPerIp in ${file}): must be "<max>/<window>" with max 1-1000000 and window 1s-1d, e.g. "20/60s" (got {"max":0,"windowSeconds":60})`,
    );
  });

  it('refuses extra members in a rate-limit object', () => {
    const file = configFile({ rateLimits: { loginPerIp: { max: 1, windowSeconds: 60, burst: 5 } } });
    expect(configError({ env: {}, file }).rule).toBe('must have only the members max and windowSeconds');
  });

  it.each([
    [{ port: '3000x' }, 'TESSERA_PORT'],
    [{ port: -1 }, 'TESSERA_PORT'],
    [{ strictMode: 'sometimes' }, 'TESSERA_STRICT_MODE'],
    [{ strictMode: 1 }, 'TESSERA_STRICT_MODE'],
    [{ corsOrigins: [1] }, 'TESSERA_CORS_ORIGINS'],
    [{ corsOrigins: { origin: 'https://a.example' } }, 'TESSERA_CORS_ORIGINS'],
    [{ audience: 42 }, 'TESSERA_AUDIENCE'],
    [{ accessTokenTtlSeconds: 1.5 }, 'TESSERA_ACCESS_TOKEN_TTL'],
    [{ signingKeys: [EC_PRIVATE_JWK] }, 'TESSERA_SIGNING_KEYS'],
    [{ rateLimits: { loginPerIp: [20, 60] } }, 'TESSERA_RATE_LIMIT_LOGIN_IP'],
  ])('refuses %j', (values, variable) => {
    expect(configError({ env: {}, file: configFile(values) }).variable).toBe(variable);
  });

  it('takes CORS origins as an array or as the comma-separated string of the environment', () => {
    const asString = configFile({ corsOrigins: 'https://a.example, https://b.example' });
    expect(loadConfig({ env: {}, file: asString }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('an unknown field is refused with a suggestion', () => {
    const file = configFile({ prot: 4000 });
    const error = configError({ env: {}, file });
    expect(error.variable).toBe('--config');
    expect(error.message).toBe(`--config: unknown field "prot" in ${file} (did you mean "port"?)`);
  });

  /** @see issue #12: a file given with --config (the `file` option) was blamed on TESSERA_CONFIG_FILE. */
  it('blames the variable only for a file the variable named', () => {
    const file = configFile({ prot: 4000 });
    expect(configError({ env: { TESSERA_CONFIG_FILE: file } }).message).toBe(
      `TESSERA_CONFIG_FILE: unknown field "prot" in ${file} (did you mean "port"?)`,
    );
    expect(configError({ env: { TESSERA_CONFIG_FILE: file }, file }).variable).toBe('--config');
  });

  /** @see issue #12: names written as the environment or in snake_case got no suggestion. */
  it.each([
    ['TESSERA_DATABASE_URL', 'databaseUrl'],
    ['DATABASE_URL', 'databaseUrl'],
    ['database_url', 'databaseUrl'],
    ['TESSERA_LOCKOUT_THRESHOLD', 'lockout.threshold'],
    ['accessTokenTtl', 'accessTokenTtlSeconds'],
    ['access_token_ttl', 'accessTokenTtlSeconds'],
    ['signing_keys', 'signingKeys'],
  ])('suggests the field for "%s"', (name, field) => {
    const file = configFile({ [name]: 'x' });
    expect(configError({ env: {}, file }).rule).toBe(
      `unknown field "${name}" in ${file} (did you mean "${field}"?)`,
    );
  });

  it('suggests the nested field for an abbreviated member', () => {
    const file = configFile({ password: { min: 10 } });
    expect(configError({ env: {}, file }).rule).toBe(
      `unknown field "password.min" in ${file} (did you mean "password.minLength"?)`,
    );
  });

  it('an unknown nested field is refused with a suggestion', () => {
    const file = configFile({ lockout: { treshold: 3 } });
    expect(configError({ env: {}, file }).rule).toBe(
      `unknown field "lockout.treshold" in ${file} (did you mean "lockout.threshold"?)`,
    );
  });

  it('an unknown field far from every name gets no suggestion', () => {
    const file = configFile({ somethingElseEntirely: true });
    expect(configError({ env: {}, file }).rule).toBe(`unknown field "somethingElseEntirely" in ${file}`);
  });

  it('a group must be an object', () => {
    const file = configFile({ lockout: 5 });
    expect(configError({ env: {}, file }).rule).toBe(`field "lockout" in ${file} must be an object`);
    expect(configError({ env: {}, file: configFile({ password: null }) }).rule).toContain('"password"');
  });

  it('a missing file is refused', () => {
    const file = join(dir, 'missing.json');
    const error = configError({ env: { TESSERA_CONFIG_FILE: file } });
    expect(error.message).toBe(`TESSERA_CONFIG_FILE: could not read ${file} (ENOENT)`);
  });

  it('invalid JSON is refused without quoting the file', () => {
    const file = configFile(`{"masterKey": "${MASTER_KEY_HEX}",, }`);
    const error = configError({ env: {}, file });
    expect(error.message).toBe(`--config: ${file} is not valid JSON`);
    expect(error.message).not.toContain(MASTER_KEY_HEX);
  });

  it.each([['[]'], ['"port"'], ['null'], ['3000']])('%s is not a JSON object', (content) => {
    const file = configFile(content);
    expect(configError({ env: {}, file }).rule).toBe(`${file} must hold a JSON object`);
  });
});
