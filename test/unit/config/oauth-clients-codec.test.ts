import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { hashClientSecret } from '../../../src/flows/oauth/clients.js';

const HASH = hashClientSecret('a generated secret');

describe('TESSERA_OAUTH_CLIENTS', () => {
  it('defaults to no clients', () => {
    expect(loadConfig({ env: {} }).oauthClients).toEqual([]);
  });

  it('reads inline JSON, with the default grants and scopes, and a name defaulting to the client_id', () => {
    const clients = JSON.stringify([
      {
        client_id: 'web',
        type: 'confidential',
        client_secret_sha256: HASH,
        scopes: ['billing:read', 'billing:read'],
      },
      { client_id: 'mobile', name: 'Mobile app', type: 'public', grant_types: ['refresh_token'] },
    ]);
    expect(loadConfig({ env: { TESSERA_OAUTH_CLIENTS: clients } }).oauthClients).toEqual([
      {
        clientId: 'web',
        name: 'web',
        type: 'confidential',
        secretHash: HASH,
        grantTypes: ['password', 'refresh_token'],
        scopes: ['billing:read'],
      },
      {
        clientId: 'mobile',
        name: 'Mobile app',
        type: 'public',
        secretHash: null,
        grantTypes: ['refresh_token'],
        scopes: [],
      },
    ]);
  });

  it('reads @file, and the config file form (a JSON array, not a string)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-clients-'));
    const file = join(dir, 'clients.json');
    writeFileSync(file, JSON.stringify([{ client_id: 'cli', type: 'public' }]));
    expect(loadConfig({ env: { TESSERA_OAUTH_CLIENTS: `@${file}` } }).oauthClients[0]?.clientId).toBe('cli');
    const configFile = join(dir, 'tessera.json');
    writeFileSync(configFile, JSON.stringify({ oauthClients: [{ client_id: 'f', type: 'public' }] }));
    expect(loadConfig({ env: { TESSERA_CONFIG_FILE: configFile } }).oauthClients[0]?.clientId).toBe('f');
  });

  it('never echoes the value in an error (the list holds secret hashes)', () => {
    const value = JSON.stringify([{ client_id: 'web', type: 'confidential', client_secret_sha256: 'short' }]);
    expect(() => loadConfig({ env: { TESSERA_OAUTH_CLIENTS: value } })).toThrow(/\(value hidden\)$/);
  });
});
