import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { loadConfig } from '../../../src/config/load-config.js';

/** Settings given in code (embedding): the config file's names and rules, below the environment. */
describe('settings given in code', () => {
  it('sets fields with the config-file names and nesting', () => {
    const config = loadConfig({
      env: {},
      settings: { accessTokenTtlSeconds: '10m', rateLimits: { loginPerIp: '3/30s' }, cookieMode: true },
    });
    expect(config.accessTokenTtlSeconds).toBe(600);
    expect(config.rateLimits.loginPerIp).toEqual({ max: 3, windowSeconds: 30 });
    expect(config.cookieMode).toBe(true);
  });

  it('lets the environment win over them, as over a file', () => {
    const config = loadConfig({
      env: { TESSERA_ACCESS_TOKEN_TTL: '60' },
      settings: { accessTokenTtlSeconds: 600 },
    });
    expect(config.accessTokenTtlSeconds).toBe(60);
  });

  it.each([
    [
      'an unknown field, with a suggestion',
      { accesTokenTtlSeconds: 5 },
      /unknown field "accesTokenTtlSeconds".*did you mean "accessTokenTtlSeconds"/,
    ],
    ['an unknown nested field', { lockout: { treshold: 3 } }, /unknown field "lockout.treshold"/],
    [
      'a value that breaks its rule',
      { accessTokenTtlSeconds: 'soon' },
      /accessTokenTtlSeconds in config \(settings given in code\)/,
    ],
    ['a group that is not an object', { lockout: 3 }, /field "lockout" .* must be an object/],
    ['settings that are not an object', ['port', 1], /must be an object/],
  ])('refuses %s, without blaming TESSERA_CONFIG_FILE', (_name, settings, message) => {
    expect(() => loadConfig({ env: {}, settings: settings as unknown as Record<string, unknown> })).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: expect.stringMatching(message) }),
    );
    expect(() => loadConfig({ env: {}, settings: settings as unknown as Record<string, unknown> })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('TESSERA_CONFIG_FILE') }),
    );
  });

  it('refuses a config file beside them rather than silently ignoring one', () => {
    expect(() => loadConfig({ env: { TESSERA_CONFIG_FILE: '/etc/tessera.json' }, settings: {} })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ env: {}, file: '/etc/tessera.json', settings: {} })).toThrow(
      /cannot be used with settings given in code/,
    );
  });
});
