#!/usr/bin/env node
// `npm start` runs this first: it builds (tsc + vite, `npm run build`) only when dist/ is missing or older
// than a source, so the first start builds once and every later start goes straight to the server.
// Sources are src/, console/ (without its build output) and the build configuration files.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

const SOURCES = ['src', 'console', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];
const SKIP = new Set(['node_modules', 'dist']);
const OUTPUTS = ['dist/cli/main.js', 'dist/console/index.html'];

/** Newest modification time (ms) under a file or folder; 0 when it does not exist. */
function newestMtimeMs(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (!SKIP.has(entry)) newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  }
  return newest;
}

/** Oldest modification time (ms) of the build outputs; 0 when one is missing. */
function oldestOutputMtimeMs(root) {
  let oldest = Infinity;
  for (const output of OUTPUTS) {
    try {
      oldest = Math.min(oldest, statSync(join(root, output)).mtimeMs);
    } catch {
      return 0;
    }
  }
  return oldest;
}

/** True when an output is missing or a source is newer than the oldest output. */
export function needsBuild(root) {
  const newestSource = Math.max(...SOURCES.map((source) => newestMtimeMs(join(root, source))));
  return newestSource > oldestOutputMtimeMs(root);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  if (needsBuild(root)) {
    process.stderr.write('tessera: building dist/ (first start, or sources changed)…\n');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
    process.exit(result.status ?? 1);
  }
}
