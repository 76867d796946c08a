/**
 * The examples import `tessera/...` and run `npx tessera`, which the package maps to dist/: the doc
 * test builds it (tsc only; the console is not needed) when it is missing or older than a source file,
 * so it never runs the examples against a stale build.
 */
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { runProcess } from './run-process.js';

/** The newest file with this suffix under dir, leaving out `except` (dist/console is Vite's, not tsc's). */
function newestModification(dir: string, suffix: string, except?: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(suffix) && (except === undefined || !name.startsWith(except)))
    .reduce((newest, name) => Math.max(newest, statSync(join(dir, name)).mtimeMs), 0);
}

/** Builds dist/ when needed; resolves with what it did. */
export async function ensureFreshBuild(root: string): Promise<'fresh' | 'built'> {
  const built = newestModification(join(root, 'dist'), '.js', `console${sep}`);
  if (built > 0 && built >= newestModification(join(root, 'src'), '.ts')) return 'fresh';
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const result = await runProcess(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    env: process.env,
    timeoutMs: 240_000,
  });
  if (result.code !== 0) throw new Error(`npm run build (tsc) failed:\n${result.output}`);
  // As `npm run build` does (scripts/executable-bin.mjs): the examples run `npx tessera`, the bin.
  chmodSync(join(root, 'dist/cli/main.js'), 0o755);
  return 'built';
}
