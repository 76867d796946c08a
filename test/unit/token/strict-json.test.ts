import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJsonObject } from '../../../src/token/strict-json.js';
import { expectTokenError } from '../../helpers/token-kit.js';

const nestedArrays = (depth: number) => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;

describe('parseJsonObject', () => {
  it.each([
    ['a flat object', '{"a":1,"b":"x"}', { a: 1, b: 'x' }],
    ['an empty object', '{}', {}],
    ['whitespace around tokens', ' \n{ "a" : [ 1 , { "b" : null } ] }\t', { a: [1, { b: null }] }],
    ['the same name in sibling objects', '{"a":{"x":1},"b":{"x":2}}', { a: { x: 1 }, b: { x: 2 } }],
    ['the same name at different levels', '{"x":{"x":{"x":1}}}', { x: { x: { x: 1 } } }],
    ['names that differ only by case', '{"exp":1,"EXP":2}', { exp: 1, EXP: 2 }],
    ['a name that equals a string value', '{"a":"b","b":"a"}', { a: 'b', b: 'a' }],
    ['structural characters inside strings', '{"a":"{[,]}\\"","b":"\\\\"}', { a: '{[,]}"', b: '\\' }],
    ['objects inside arrays', '{"a":[{"x":1},{"x":2}],"x":3}', { a: [{ x: 1 }, { x: 2 }], x: 3 }],
    ['a "constructor" member', '{"constructor":1}', { constructor: 1 }],
    ['the "__proto__" text as a value', '{"a":"__proto__"}', { a: '__proto__' }],
  ])('accepts %s', (_name, text, expected) => {
    expect(parseJsonObject(text, 'payload')).toEqual(expected);
  });

  it.each([
    ['an array', '[1,2]'],
    ['an empty array', '[]'],
    ['a number', '42'],
    ['a string', '"exp"'],
    ['null', 'null'],
    ['true', 'true'],
  ])('refuses %s (not a JSON object)', (_name, text) => {
    const error = expectTokenError(() => parseJsonObject(text, 'payload'), 'token_malformed');
    expect(error.message).toContain('not a JSON object');
  });

  it.each([
    ['an empty text', ''],
    ['a truncated object', '{"a":1'],
    ['a trailing comma', '{"a":1,}'],
    ['single quotes', "{'a':1}"],
    ['a comment', '{"a":1 /* x */}'],
    ['NaN', '{"a":NaN}'],
    ['two values', '{}{}'],
    ['an unescaped control character in a string', '{"a":"\u0001"}'],
  ])('refuses invalid JSON: %s', (_name, text) => {
    const error = expectTokenError(() => parseJsonObject(text, 'header'), 'token_malformed');
    expect(error.message).toBe('The header is not valid JSON.');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each([
    ['at the top level', '{"exp":1,"exp":2}'],
    ['at the top level, far apart', '{"exp":1,"a":[1,{"b":2}],"c":"d","exp":2}'],
    ['in a nested object', '{"a":{"x":1,"x":2}}'],
    ['in an object inside an array', '{"a":[{"x":1,"x":1}]}'],
    ['after a nested object closes', '{"a":{"b":1},"a":2}'],
    ['after an array closes', '{"a":[1,2],"a":[3]}'],
    ['escaped-equal: "\\u0065xp" vs "exp"', '{"exp":1,"\\u0065xp":2}'],
    ['escaped-equal: both escaped differently', '{"\\u0061":1,"\\u0061":2}'],
    ['escaped-equal: "\\/" vs "/"', '{"/":1,"\\/":2}'],
    ['escaped-equal: upper-case hex escape', '{"\\u00E9":1,"é":2}'],
    ['the empty name twice', '{"":1,"":2}'],
    ['with whitespace around the colon', '{ "alg" : "HS256" , "alg" : "none" }'],
  ])('refuses duplicate member names %s', (_name, text) => {
    const error = expectTokenError(() => parseJsonObject(text, 'payload'), 'token_malformed');
    expect(error.message).toBe('The payload has a duplicate member name.');
  });

  it.each([
    ['at the top level', '{"__proto__":{"admin":true}}'],
    ['nested', '{"a":{"__proto__":{"admin":true}}}'],
    ['inside an array', '{"a":[{"__proto__":1}]}'],
    ['escaped', '{"\\u005f_proto__":{}}'],
  ])('refuses a "__proto__" member %s', (_name, text) => {
    const error = expectTokenError(() => parseJsonObject(text, 'payload'), 'token_malformed');
    expect(error.message).toBe('The payload has a forbidden member name.');
  });

  it('never lets "__proto__" reach a prototype', () => {
    expect(() => parseJsonObject('{"__proto__":{"polluted":true}}', 'payload')).toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it(`accepts exactly ${MAX_JSON_DEPTH} levels and refuses one more`, () => {
    expect(() => parseJsonObject(nestedArrays(MAX_JSON_DEPTH), 'payload')).not.toThrow();
    expect(() => parseJsonObject(nestedObjects(MAX_JSON_DEPTH), 'payload')).not.toThrow();
    for (const text of [nestedArrays(MAX_JSON_DEPTH + 1), nestedObjects(MAX_JSON_DEPTH + 1)]) {
      const error = expectTokenError(() => parseJsonObject(text, 'payload'), 'token_malformed');
      expect(error.message).toBe('The payload is nested too deeply.');
    }
  });

  it('refuses very deep nesting (10 000 levels) with a TokenError, not a RangeError', () => {
    const deep = `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    expectTokenError(() => parseJsonObject(deep, 'header'), 'token_malformed');
  });

  it('counts depth, not total containers', () => {
    const wide = `{"a":[${Array.from({ length: 200 }, () => '[[]]').join(',')}]}`;
    expect(() => parseJsonObject(wide, 'payload')).not.toThrow();
  });

  it('never puts the text in the message', () => {
    const text = '{"secret-claim-value":1,"secret-claim-value":2}';
    expectTokenError(() => parseJsonObject(text, 'payload'), 'token_malformed', {
      notInMessage: ['secret-claim-value'],
    });
  });
});

describe('parseJsonObject: member-name counting is not fooled by string contents', () => {
  it.each([
    ['a colon string after a space string in an array', '{"a":[" ",":"],"b":1}', { a: [' ', ':'], b: 1 }],
    ['escaped quotes before a colon', '{"a":"x\\":\\"y","b":"\\\\"}', { a: 'x":"y', b: '\\' }],
    [
      'an escaped backslash right before the closing quote',
      '{"a\\\\":1,"b":"\\\\\\\\"}',
      { 'a\\': 1, b: '\\\\' },
    ],
    [
      'colons and braces inside values',
      '{"u":"https://x:1/{a}","v":"{\\"k\\":1}"}',
      { u: 'https://x:1/{a}', v: '{"k":1}' },
    ],
  ])('accepts %s', (_name, text, expected) => {
    expect(parseJsonObject(text, 'payload')).toEqual(expected);
  });

  it.each([
    ['a duplicate after a colon-bearing string value', '{"a":"b:c","a":1}'],
    ['a duplicate nested inside an array', '{"x":[{"k":1,"k":2}]}'],
    ['a duplicate hidden behind escaped quotes', '{"a":"\\":","a":2}'],
  ])("refuses %s with 'token_malformed'", (_name, text) => {
    expectTokenError(() => parseJsonObject(text, 'payload'), 'token_malformed');
  });

  it('freezes the whole parsed tree', () => {
    const parsed = parseJsonObject('{"a":{"b":[{"c":1}]}}', 'payload') as { a: { b: { c: number }[] } };
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(Object.isFrozen(parsed.a.b)).toBe(true);
    expect(Object.isFrozen(parsed.a.b[0])).toBe(true);
  });

  it('does not count enumerable properties someone added to Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = true;
    try {
      expect(parseJsonObject('{"a":1}', 'payload')).toEqual({ a: 1 });
    } finally {
      delete proto.polluted;
    }
  });
});
