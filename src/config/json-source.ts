import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidValue } from './codec.js';

/**
 * A JSON setting given inline or as `@/path/to/file` (relative to the working directory), so secret
 * material can stay out of `ps` and `docker inspect`. Neither error quotes the text: a JSON parser's
 * message shows the text around the fault, which here is key material or secret hashes.
 */
export function readJsonSource(input: string, describe: { rule: string; file: string }): unknown {
  return parseJson(readSource(input, describe.file), describe.rule);
}

/** The text itself, or the file's text for `@/path/to/file`. */
export function readSource(input: string, file: string): string {
  if (!input.startsWith('@')) return input;
  const path = resolve(input.slice(1));
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new InvalidValue(`could not read the ${file} ${path} (${code})`);
  }
}

export function parseJson(source: string, rule: string): unknown {
  try {
    return JSON.parse(source);
  } catch {
    throw new InvalidValue(`${rule}; the JSON does not parse`);
  }
}
