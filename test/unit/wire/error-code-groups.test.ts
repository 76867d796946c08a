import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AUTH_ERROR_CODES,
  FLOW_ERROR_CODES,
  HTTP_ERROR_CODES,
  KEY_ERROR_CODES,
  TOKEN_ERROR_CODES,
  type FlowErrorCode,
  type HttpErrorCode,
  type KeyErrorCode,
  type TokenErrorCode,
} from '../../../src/errors.js';
import type { CodesBetween } from '../../../src/wire/error-codes.js';

/** The groups are cut from the one flat list (src/wire/error-codes.ts), at runtime and in types. */
describe('error code groups', () => {
  it('partition the flat list, in order, with nothing left over', () => {
    expect([...TOKEN_ERROR_CODES, ...KEY_ERROR_CODES, ...FLOW_ERROR_CODES, ...HTTP_ERROR_CODES]).toEqual([
      ...AUTH_ERROR_CODES,
    ]);
  });

  it('start where the registry says each group starts', () => {
    expect(TOKEN_ERROR_CODES[0]).toBe('token_malformed');
    expect(TOKEN_ERROR_CODES).toContain('key_not_found');
    expect(KEY_ERROR_CODES).toEqual(['key_invalid']);
    expect(FLOW_ERROR_CODES[0]).toBe('unauthenticated');
    expect(FLOW_ERROR_CODES).toContain('insufficient_scope');
    expect(HTTP_ERROR_CODES[0]).toBe('invalid_request');
    expect(HTTP_ERROR_CODES.at(-1)).toBe('internal_error');
  });

  it('are frozen: no server module can change a group', () => {
    for (const group of [TOKEN_ERROR_CODES, KEY_ERROR_CODES, FLOW_ERROR_CODES, HTTP_ERROR_CODES]) {
      expect(Object.isFrozen(group)).toBe(true);
    }
  });

  it('derive the group types from the list', () => {
    expectTypeOf<'key_not_found'>().toExtend<TokenErrorCode>();
    expectTypeOf<'key_invalid'>().not.toExtend<TokenErrorCode>();
    expectTypeOf<KeyErrorCode>().toEqualTypeOf<'key_invalid'>();
    expectTypeOf<'insufficient_scope'>().toExtend<FlowErrorCode>();
    expectTypeOf<'invalid_request'>().not.toExtend<FlowErrorCode>();
    expectTypeOf<'internal_error'>().toExtend<HttpErrorCode>();
    expectTypeOf<'insufficient_scope'>().not.toExtend<HttpErrorCode>();
    expectTypeOf<CodesBetween<['a', 'b', 'c', 'd'], 'b', 'd'>>().toEqualTypeOf<['b', 'c']>();
    expectTypeOf<CodesBetween<['a', 'b', 'c'], 'b', never>>().toEqualTypeOf<['b', 'c']>();
    expectTypeOf<CodesBetween<['a', 'b'], 'z', 'b'>>().toEqualTypeOf<[]>();
  });
});
