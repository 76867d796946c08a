import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const text = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');

/** Every repository path docs/architecture.md names in backticks (src/, test/, docs/, or a root file). */
function namedPaths(markdown: string): string[] {
  const paths = [...markdown.matchAll(/`((?:src|test|docs)\/[^`\s]*|[\w.-]+\.(?:js|json|md))`/g)].map(
    (m) => m[1]!,
  );
  // `<name>` marks a placeholder (a file the reader adds), not a path that must exist.
  return [...new Set(paths)].filter((path) => !path.includes('<'));
}

describe('docs/architecture.md', () => {
  it('names paths at all (the extraction works)', () => {
    expect(namedPaths(text)).toEqual(
      expect.arrayContaining(['src/flows/auth/sign-in.ts', 'src/http/problem.ts']),
    );
  });

  it.each(namedPaths(text))('names %s, which exists', (path) => {
    expect(existsSync(join(root, path))).toBe(true);
  });

  it('refers to no file outside the repository', () => {
    expect(text).not.toMatch(/DESIGN\.md|STYLE\.md|\/work\//);
  });
});
