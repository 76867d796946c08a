import { describe, expect, it } from 'vitest';
import { parseScope } from '../../../src/flows/oauth/scope.js';
import { SCOPE_TOKEN_SHAPE } from '../../../src/wire/oauth-scope.js';
import { oauthClients } from '../../../src/config/oauth-clients-codec.js';

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), capped at 64 characters here. */
describe('SCOPE_TOKEN_SHAPE (RFC 6749 §3.3)', () => {
  it.each(['read', 'billing:read', '!', '~', 'a'.repeat(64), 'https://api.example/x#y'])(
    'accepts %j',
    (token) => {
      expect(SCOPE_TOKEN_SHAPE.test(token)).toBe(true);
    },
  );

  it.each(['', ' ', 'a b', 'say"hi', 'back\\slash', 'tab\t', 'é', '\x7f', 'a'.repeat(65)])(
    'refuses %j',
    (token) => {
      expect(SCOPE_TOKEN_SHAPE.test(token)).toBe(false);
    },
  );

  it('is the one grammar the scope parameter and the registered client scopes are checked against', () => {
    expect(parseScope('read write')).toEqual(['read', 'write']);
    expect(() => parseScope('say"hi')).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
    const client = (scopes: string[]) => JSON.stringify([{ client_id: 'web', type: 'public', scopes }]);
    expect(() => oauthClients.parse(client(['read']))).not.toThrow();
    expect(() => oauthClients.parse(client(['say"hi']))).toThrow();
  });
});
