import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../../src/config/suggest.js';
import { configError } from './fixtures.js';

describe('unknown TESSERA_* variables', () => {
  it.each([
    ['TESSERA_PROT', 'TESSERA_PORT'],
    ['TESSERA_ACCES_TOKEN_TTL', 'TESSERA_ACCESS_TOKEN_TTL'],
    ['TESSERA_ACCESS_TTL', 'TESSERA_ACCESS_TOKEN_TTL'],
    ['TESSERA_DATABASEURL', 'TESSERA_DATABASE_URL'],
    ['TESSERA_COOKIE_SAME_SITE', 'TESSERA_COOKIE_SAMESITE'],
    ['TESSERA_CORS_ORIGIN', 'TESSERA_CORS_ORIGINS'],
    ['TESSERA_MASTERKEY', 'TESSERA_MASTER_KEY'],
    ['TESSERA_CONFIG', 'TESSERA_CONFIG_FILE'],
    ['TESSERA_log_level', 'TESSERA_LOG_LEVEL'],
  ])('%s suggests %s', (name, suggestion) => {
    const error = configError({ env: { [name]: 'value' } });
    expect(error.variable).toBe(name);
    expect(error.message).toBe(`${name}: unknown variable (did you mean ${suggestion}?)`);
  });

  it('gives no suggestion when nothing is close', () => {
    expect(configError({ env: { TESSERA_DEBUG: '1' } }).message).toBe('TESSERA_DEBUG: unknown variable');
    expect(configError({ env: { TESSERA_: '1' } }).message).toBe('TESSERA_: unknown variable');
  });

  it('is checked before anything else, even an invalid known value', () => {
    expect(configError({ env: { TESSERA_PORT: 'abc', TESSERA_PROT: '1' } }).variable).toBe('TESSERA_PROT');
  });

  it('never shows the value, which may be a secret', () => {
    const error = configError({ env: { TESSERA_MASTERKEY: 'hunter2-very-secret' } });
    expect(error.message).not.toContain('hunter2');
  });

  it('ignores a name whose value is undefined (a deleted process.env entry)', () => {
    expect(() => configError({ env: { TESSERA_PROT: undefined } })).toThrow(/expected loadConfig to throw/);
  });
});

describe('closestName', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('port', 'prot')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests only when near enough', () => {
    expect(closestName('hots', ['host', 'port'])).toBe('host');
    expect(closestName('banana', ['host', 'port'])).toBeUndefined();
  });

  it('falls back to the one name containing all the words, and not when several do', () => {
    expect(closestName('X_A_C', ['X_A_B_C_D_E', 'X_Q'], 'X_')).toBe('X_A_B_C_D_E');
    expect(closestName('X_A_C', ['X_A_B_C_D_E', 'X_A_C_F_G_H'], 'X_')).toBeUndefined();
  });
});
