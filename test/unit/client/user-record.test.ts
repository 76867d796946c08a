import { describe, expect, it } from 'vitest';
import { parseTabMessage } from '../../../src/client/tab-messages.js';
import { sameJson, userFromBody } from '../../../src/client/user-record.js';

const USER = { id: 'u1', email: 'a@example.com', name: null, roles: ['a', 'b'], created_at: '2026-01-01' };

describe('sameJson (is the user from /auth/me a change?)', () => {
  it.each([
    [
      'the same members in another order',
      { created_at: '2026-01-01', roles: ['a', 'b'], name: null, email: 'a@example.com', id: 'u1' },
    ],
    ['a structural copy', structuredClone(USER)],
  ])('equal: %s', (_label, other) => {
    expect(sameJson(USER, other)).toBe(true);
  });

  it.each([
    ['another name', { ...USER, name: 'A' }],
    ['roles in another order', { ...USER, roles: ['b', 'a'] }],
    ['one role fewer', { ...USER, roles: ['a'] }],
    ['an extra member the server added', { ...USER, email_verified: true }],
    ['a member missing', { id: 'u1', email: 'a@example.com', name: null, roles: ['a', 'b'] }],
    ['roles as an object with the same indices', { ...USER, roles: { 0: 'a', 1: 'b' } }],
    ['null', null],
  ])('different: %s', (_label, other) => {
    expect(sameJson(USER, other)).toBe(false);
    expect(sameJson(other, USER)).toBe(false);
  });
});

describe('userFromBody', () => {
  it('returns the user of a documented body', () => {
    expect(userFromBody({ user: USER })).toBe(USER);
  });

  it.each([[undefined], [null], ['text'], [{}], [{ user: [] }], [{ user: { id: null } }]])(
    'refuses %j as unexpected_response',
    (body) => {
      expect(() => userFromBody(body)).toThrow(expect.objectContaining({ code: 'unexpected_response' }));
    },
  );
});

describe('parseTabMessage, state events', () => {
  const credentials = {
    mode: 'jwt',
    bearer: 't',
    refreshToken: null,
    expiresAt: 1,
    user: USER,
    csrfToken: null,
  };

  it.each(['signed-in', 'refreshed', 'user-updated'])('accepts %s', (event) => {
    expect(parseTabMessage({ type: 'state', event, credentials })).toEqual({
      type: 'state',
      event,
      credentials,
    });
  });

  it.each(['user-changed', 'signed-out', '', undefined, 1])('drops event %j', (event) => {
    expect(parseTabMessage({ type: 'state', event, credentials })).toBeNull();
  });
});
