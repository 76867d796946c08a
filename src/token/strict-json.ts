import { TokenError } from './errors.js';

/** Nesting deeper than this is refused: no legitimate JOSE header or claim set comes close. */
export const MAX_JSON_DEPTH = 32;

/**
 * Parses a JOSE header or JWT claim set: a JSON object, with no duplicate member names at any level
 * (RFC 7515 §5.2 allows rejecting them and RFC 8725 motivates it: two parsers that keep different
 * duplicates can disagree about the same token; decision 0002), no `__proto__` member (a
 * prototype-pollution vector for consumers that merge claims with Object.assign), at most
 * MAX_JSON_DEPTH levels. The result is deep-frozen, so one verified payload can be shared safely.
 *
 * Duplicates are found by counting: JSON.parse keeps one member per name, so the text holds more
 * member names than the parsed tree holds keys exactly when some object repeated a name (names are
 * compared after unescaping, as JSON.parse compares them).
 */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new TokenError('token_malformed', `The ${what} is not valid JSON.`, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenError('token_malformed', `The ${what} is not a JSON object.`);
  }
  const keys = countKeysAndFreeze(value, 1, what);
  if (keys !== countMemberNames(text)) {
    throw new TokenError('token_malformed', `The ${what} has a duplicate member name.`);
  }
  return value as Record<string, unknown>;
}

/** Walks the parsed tree once: counts object keys, enforces the depth cap and `__proto__`, freezes. */
function countKeysAndFreeze(value: object, depth: number, what: string): number {
  if (depth > MAX_JSON_DEPTH) throw new TokenError('token_malformed', `The ${what} is nested too deeply.`);
  let keys = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (typeof item === 'object' && item !== null) keys += countKeysAndFreeze(item, depth + 1, what);
    }
  } else {
    if (Object.prototype.hasOwnProperty.call(value, '__proto__')) {
      throw new TokenError('token_malformed', `The ${what} has a forbidden member name.`);
    }
    // Object.keys, not for…in: an enumerable property someone added to Object.prototype must not count.
    const names = Object.keys(value);
    keys += names.length;
    for (const name of names) {
      const member = (value as Record<string, unknown>)[name];
      if (typeof member === 'object' && member !== null) keys += countKeysAndFreeze(member, depth + 1, what);
    }
  }
  Object.freeze(value);
  return keys;
}

/**
 * Counts member names in text that JSON.parse has accepted. It jumps from string to string with
 * indexOf (outside strings only `"` can start one), and a string is a member name exactly when the
 * next character that is not white space is a colon.
 */
function countMemberNames(text: string): number {
  const hasEscapes = text.includes('\\');
  let names = 0;
  let start = text.indexOf('"');
  while (start !== -1) {
    // Without a backslash anywhere, a string simply ends at the next quote.
    const end = hasEscapes ? stringEnd(text, start) : text.indexOf('"', start + 1);
    let next = end + 1;
    while (isJsonWhitespace(text.charCodeAt(next))) next++;
    if (text.charCodeAt(next) === 0x3a /* : */) names++;
    start = text.indexOf('"', next);
  }
  return names;
}

function stringEnd(text: string, quote: number): number {
  let end = text.indexOf('"', quote + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c /* \ */) backslashes++;
    if (backslashes % 2 === 0) return end; // an odd run escapes this quote
    end = text.indexOf('"', end + 1);
  }
  return text.length; // unreachable for text JSON.parse accepted
}

function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}
