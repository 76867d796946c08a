import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTH_ERROR_CODES } from '../../src/errors.js';
import { PROBLEMS } from '../../src/http/problem.js';

const root = join(import.meta.dirname, '..', '..');
const docs = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');
const documented = [...docs.matchAll(/^### `([a-z_]+)`$/gm)].map((match) => match[1]);

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return path.endsWith('.test.ts') && !path.endsWith('errors-registry.test.ts') ? [path] : [];
  });
}
const tests = testFiles(join(root, 'test')).map((path) => ({
  path: relative(root, path),
  text: readFileSync(path, 'utf8'),
}));

/** One registry, three places that must agree (STYLE §3): the code list, the HTTP mapping, the docs. */
describe('error code registry', () => {
  it.each(AUTH_ERROR_CODES)('%s has an HTTP mapping', (code) => {
    const mapping = PROBLEMS[code];
    expect(mapping.status).toBeGreaterThanOrEqual(400);
    expect(mapping.status).toBeLessThan(600);
    expect(mapping.title.length).toBeGreaterThan(0);
  });

  it.each(AUTH_ERROR_CODES)('%s is documented in docs/errors.md', (code) => {
    expect(documented).toContain(code);
  });

  it.each(AUTH_ERROR_CODES)('%s is asserted by at least one test', (code) => {
    const asserting = tests.filter(({ text }) => text.includes(`'${code}'`) || text.includes(`"${code}"`));
    expect(
      asserting.map(({ path }) => path),
      `no test mentions '${code}'`,
    ).not.toHaveLength(0);
  });

  it('documents no code that does not exist and maps no unknown code', () => {
    expect(documented.filter((code) => !(AUTH_ERROR_CODES as readonly string[]).includes(code!))).toEqual([]);
    expect(Object.keys(PROBLEMS).sort()).toEqual([...AUTH_ERROR_CODES].sort());
  });

  it('401s are token-related or authentication failures; 403 insufficient_scope carries its Bearer error', () => {
    expect(PROBLEMS.insufficient_scope).toMatchObject({ status: 403, bearerError: 'insufficient_scope' });
    for (const code of AUTH_ERROR_CODES.filter((c) => c.startsWith('token_'))) {
      expect(PROBLEMS[code]).toMatchObject({ status: 401, bearerError: 'invalid_token' });
    }
  });
});
