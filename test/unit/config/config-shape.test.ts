import { describe, expect, it } from 'vitest';
import { shapeConfig, type FieldValues } from '../../../src/config/config-shape.js';
import { CONFIG_DEFAULTS } from '../../../src/config/defaults.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { FIELD_KEYS, SCHEMA } from '../../../src/config/schema.js';

const DEFAULTS = Object.fromEntries(FIELD_KEYS.map((key) => [key, SCHEMA[key].default])) as FieldValues;

describe('Config shaped from the schema', () => {
  it('puts every field where its config-file field says, nested fields under their group', () => {
    const shaped = shapeConfig({ ...DEFAULTS, lockoutThreshold: 9, port: 1 }) as unknown as Record<
      string,
      unknown
    >;
    expect(shaped.port).toBe(1);
    expect(shaped.lockout).toEqual({ threshold: 9, baseSeconds: 30, maxSeconds: 3600 });
    for (const key of FIELD_KEYS) {
      const path = SCHEMA[key].field.split('.');
      expect(path.length, key).toBeLessThanOrEqual(2);
    }
  });

  it('makes a nullable group null unless every member is set', () => {
    expect(shapeConfig({ ...DEFAULTS, bootstrapAdminEmail: 'a@example.com' }).bootstrapAdmin).toBeNull();
    const both = { ...DEFAULTS, bootstrapAdminEmail: 'a@example.com', bootstrapAdminPassword: 'pw' };
    expect(shapeConfig(both).bootstrapAdmin).toEqual({ email: 'a@example.com', password: 'pw' });
  });

  it('copies values, so freezing the configuration never freezes the caller’s objects', () => {
    const scopes = ['read'];
    const client = { client_id: 'cli', type: 'public', scopes };
    const settings = { oauthClients: [client], corsOrigins: ['https://app.example.com'] };
    const config = loadConfig({ env: {}, settings });
    expect(Object.isFrozen(config.oauthClients[0]!.scopes)).toBe(true);
    expect(Object.isFrozen(scopes)).toBe(false);
    expect(Object.isFrozen(settings.corsOrigins)).toBe(false);
  });

  it('CONFIG_DEFAULTS is read from the schema defaults, frozen', () => {
    expect(CONFIG_DEFAULTS.lockout.threshold).toBe(SCHEMA.lockoutThreshold.default);
    expect(CONFIG_DEFAULTS.rateLimits.refreshPerIp).toEqual(SCHEMA.rateLimitRefreshIp.default);
    expect(Object.isFrozen(SCHEMA.rateLimitRefreshIp.default)).toBe(true);
    expect(Object.isFrozen(CONFIG_DEFAULTS.lockout)).toBe(true);
  });
});
