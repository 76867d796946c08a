import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import type { Config } from '../../../src/config/types.js';
import { EC_PRIVATE_JWK } from './fixtures.js';

function fullConfig(): Config {
  return loadConfig({
    env: {
      TESSERA_CORS_ORIGINS: 'https://app.example.com',
      TESSERA_SIGNING_KEYS: JSON.stringify({ keys: [EC_PRIVATE_JWK] }),
      TESSERA_BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
      TESSERA_BOOTSTRAP_ADMIN_PASSWORD: 'a long enough password',
    },
  });
}

/** Every object reachable from `value`, with its path. */
function objectsIn(value: unknown, path = 'config'): [string, object][] {
  if (typeof value !== 'object' || value === null) return [];
  return [
    [path, value],
    ...Object.entries(value).flatMap(([key, member]) => objectsIn(member, `${path}.${key}`)),
  ];
}

describe('the loaded config is deep-frozen', () => {
  it('every object in it is frozen', () => {
    const objects = objectsIn(fullConfig());
    expect(objects.length).toBeGreaterThan(10);
    for (const [path, object] of objects) expect(Object.isFrozen(object), path).toBe(true);
  });

  it('mutation throws (test modules are strict mode)', () => {
    const config = fullConfig() as Config & Record<string, unknown>;
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.rateLimits.loginPerIp as { max: number }).max = 1_000;
    }).toThrow(TypeError);
    expect(() => {
      config.corsOrigins.push('https://evil.example');
    }).toThrow(TypeError);
    expect(() => {
      config.signingKeys!.keys[0]!.d = 'replaced';
    }).toThrow(TypeError);
    expect(() => {
      delete (config as Partial<Config>).bootstrapAdmin;
    }).toThrow(TypeError);
    expect(() => {
      config.extra = true;
    }).toThrow(TypeError);
  });

  it('does not freeze what the caller passed in', () => {
    const env = { TESSERA_PORT: '4000' };
    loadConfig({ env });
    expect(Object.isFrozen(env)).toBe(false);
  });
});
