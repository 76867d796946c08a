import { describe, expect, it } from 'vitest';
import { describeConfig } from '../../../src/config/describe-config.js';
import { SCHEMA } from '../../../src/config/schema.js';

describe('describeConfig', () => {
  const rows = describeConfig();

  it('lists every schema variable once, then TESSERA_CONFIG_FILE', () => {
    const variables = rows.map((row) => row.variable);
    expect(new Set(variables).size).toBe(variables.length);
    expect(variables).toEqual([...Object.values(SCHEMA).map((spec) => spec.variable), 'TESSERA_CONFIG_FILE']);
    expect(variables.every((name) => name.startsWith('TESSERA_'))).toBe(true);
  });

  it('gives each a rule and a field', () => {
    for (const row of rows) {
      expect(row.rule.length, row.variable).toBeGreaterThan(10);
      if (row.variable !== 'TESSERA_CONFIG_FILE')
        expect(row.field, row.variable).toMatch(/^[a-z][A-Za-z.]+$/);
    }
  });

  it('shows defaults as they would be written in the environment', () => {
    const defaults = Object.fromEntries(rows.map((row) => [row.variable, row.default]));
    expect(defaults).toMatchObject({
      TESSERA_HOST: '127.0.0.1',
      TESSERA_PORT: '3000',
      TESSERA_ISSUER: 'http://<host>:<port>',
      TESSERA_REDIS_URL: null,
      TESSERA_ACCESS_TOKEN_TTL: '15m',
      TESSERA_REFRESH_TOKEN_TTL: '30d',
      TESSERA_STRICT_MODE: 'false',
      TESSERA_CORS_ORIGINS: '',
      TESSERA_RATE_LIMIT_LOGIN_IP: '20/60s',
      TESSERA_SIGNING_KEYS: null,
      TESSERA_MASTER_KEY: null,
      TESSERA_BOOTSTRAP_ADMIN_PASSWORD: null,
    });
  });

  it('mentions rules that involve another field', () => {
    const rule = rows.find((row) => row.variable === 'TESSERA_REFRESH_TOKEN_TTL')?.rule;
    expect(rule).toContain('greater than TESSERA_ACCESS_TOKEN_TTL');
  });
});
