import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../src/errors.js';
import {
  authorizationValues,
  bearerTokenOf,
  MalformedCredentialError,
  namesBearerScheme,
  readBearerCredential,
  refuseQueryToken,
} from '../../../src/token/bearer-credential.js';
import { bearerChallenge, bearerRefusalOf } from '../../../src/token/bearer-refusal.js';

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

describe('readBearerCredential: the one reading for the server and tessera/verify', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    [[], undefined],
    ['Basic dXNlcjpwYXNz', undefined],
    ['Bearerabc', undefined],
    ['Bearer abc', 'abc'],
    [['Bearer abc'], 'abc'],
  ])('reads %j as %j', (authorization, token) => {
    expect(readBearerCredential(authorization)).toBe(token);
  });

  it.each([
    ['Bearer', /carries no token/],
    ['Bearer   ', /carries no token/],
    ['Bearer a b', /b64token/],
    ['Bearer a=b', /b64token/],
    ['Bearer a"b', /b64token/],
    [['Bearer a', 'Bearer a'], /exactly one Authorization header/],
    [['Basic x', 'Bearer a'], /exactly one Authorization header/],
  ])('refuses %j as a malformed request', (authorization, detail) => {
    const refusal = (() => {
      try {
        readBearerCredential(authorization);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(MalformedCredentialError);
    expect(refusal).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(detail) });
    expect(bearerRefusalOf(refusal as MalformedCredentialError)).toEqual({
      status: 400,
      title: 'Invalid request',
      bearerError: 'invalid_request',
    });
  });

  it('collects every Authorization value from rawHeaders, whatever the case of the name', () => {
    expect(authorizationValues(['Host', 'x', 'authorization', 'a', 'AUTHORIZATION', 'b'])).toEqual([
      'a',
      'b',
    ]);
    expect(authorizationValues(['Host', 'x'])).toEqual([]);
  });
});

describe('refuseQueryToken', () => {
  it.each(['/r?access_token=x', '/r?a=1&access_token=', '/r?access_token', '/r?access%5Ftoken=x'])(
    'refuses %s',
    (target) => expect(() => refuseQueryToken(target)).toThrow(MalformedCredentialError),
  );

  it.each(['/r', '/r?', '/r?token=x', '/r?x=access_token'])('lets %s through by default', (target) =>
    expect(() => refuseQueryToken(target)).not.toThrow(),
  );

  it('refuses the extra names a caller gives', () => {
    expect(() => refuseQueryToken('/r?token=x', ['access_token', 'token'])).toThrow(/query string/);
  });
});

describe('the RFC 6750 mapping', () => {
  it.each([
    ['unauthenticated', 401, undefined],
    ['token_expired', 401, 'invalid_token'],
    ['session_revoked', 401, 'invalid_token'],
    ['insufficient_scope', 403, 'insufficient_scope'],
    ['csrf_rejected', 403, 'invalid_request'],
  ] as const)('answers %s with %i and error %s', (code, status, bearerError) => {
    expect(bearerRefusalOf(new AuthError(code, 'x'))).toMatchObject({ status, bearerError });
  });

  it('has no answer for a plain invalid_request (a body, not the credential) nor for other codes', () => {
    expect(bearerRefusalOf(new AuthError('invalid_request', 'x'))).toBeUndefined();
    expect(bearerRefusalOf(new AuthError('rate_limited', 'x'))).toBeUndefined();
  });

  it('keeps the challenge inside the quoted-string grammar', () => {
    expect(bearerChallenge('api')).toBe('Bearer realm="api"');
    expect(bearerChallenge('a"p\\i', 'invalid_token', 'bad "x" §2.1\\')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="bad x 2.1"',
    );
  });
});
