import { describe, expect, it } from 'vitest';
import { bearerTokenOf, namesBearerScheme } from '../../../src/token/bearer-credential.js';

describe('the Bearer credential grammar (RFC 6750 §2.1)', () => {
  it.each([
    ['Bearer abc.DEF-_~+/', 'abc.DEF-_~+/'],
    ['bearer abc==', 'abc=='],
    ['BEARER   abc  ', 'abc'],
  ])('reads %j', (header, token) => {
    expect(bearerTokenOf(header)).toBe(token);
    expect(namesBearerScheme(header)).toBe(true);
  });

  it.each(['Bearer', 'Bearer ', 'Bearer a b', 'Bearer a=b', 'Bearer\tabc', 'Bearer ab,c', 'Bearerabc'])(
    'refuses the malformed %j',
    (header) => expect(bearerTokenOf(header)).toBeUndefined(),
  );

  it('tells another scheme apart from a malformed Bearer credential', () => {
    expect(namesBearerScheme('Basic dXNlcjpwYXNz')).toBe(false);
    expect(namesBearerScheme('Bearerabc')).toBe(false);
    expect(namesBearerScheme('Bearer a b')).toBe(true);
    expect(bearerTokenOf('Basic dXNlcjpwYXNz')).toBeUndefined();
  });
});
