/** @see issue #12: `npm start` rebuilt everything on every start; now it builds only what is stale. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without types: it runs before anything is built
import { needsBuild } from '../../../scripts/build-if-stale.mjs';

const check = needsBuild as (root: string) => boolean;
let root: string;

/** Writes a file with the given modification time (seconds since the epoch). */
function file(path: string, mtimeSeconds: number): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, 'x');
  utimesSync(full, mtimeSeconds, mtimeSeconds);
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tessera-build-if-stale-'));
  file('src/cli/main.ts', 1_000);
  file('console/src/main.ts', 1_000);
  file('package.json', 1_000);
  for (const folder of ['src/cli', 'src', 'console/src', 'console'])
    utimesSync(join(root, folder), 1_000, 1_000);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('needsBuild', () => {
  it('builds when dist/ is missing, or only half there', () => {
    expect(check(root)).toBe(true);
    file('dist/cli/main.js', 2_000);
    expect(check(root)).toBe(true);
  });

  it('does not build when every output is newer than every source', () => {
    file('dist/cli/main.js', 2_000);
    file('dist/console/index.html', 2_000);
    expect(check(root)).toBe(false);
  });

  it.each([['src/cli/main.ts'], ['console/src/main.ts'], ['package.json']])(
    'builds again once %s changed',
    (path) => {
      file('dist/cli/main.js', 2_000);
      file('dist/console/index.html', 2_000);
      file(path, 3_000);
      expect(check(root)).toBe(true);
    },
  );

  it('ignores console/node_modules and console/dist', () => {
    file('dist/cli/main.js', 2_000);
    file('dist/console/index.html', 2_000);
    file('console/node_modules/x/index.js', 3_000);
    file('console/dist/index.html', 3_000);
    utimesSync(join(root, 'console'), 1_000, 1_000);
    expect(check(root)).toBe(false);
  });
});
