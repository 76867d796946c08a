/**
 * npm run size:client — the size of `tessera/client` as a browser would download it: src/client/index.ts
 * bundled by esbuild (ESM, platform browser, minified), raw and gzipped (node:zlib, level 9). Prints a
 * table and writes bench/results/client-size.json. Target: under 8 KiB gzipped.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { writeResultsFile } from '../lib/results-file.js';

const TARGET_GZIP_BYTES = 8 * 1024;

async function main(): Promise<void> {
  const result = await build({
    entryPoints: [new URL('../../src/client/index.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const minifiedBytes = code.byteLength;
  const gzipBytes = gzipSync(code, { level: 9 }).byteLength;
  const rows = [
    ['bundle', 'bytes', 'KiB'],
    ['minified', String(minifiedBytes), (minifiedBytes / 1024).toFixed(2)],
    ['minified + gzip', String(gzipBytes), (gzipBytes / 1024).toFixed(2)],
    ['target (gzip)', String(TARGET_GZIP_BYTES), (TARGET_GZIP_BYTES / 1024).toFixed(2)],
  ];
  for (const row of rows) console.log(`${row[0]!.padEnd(16)} ${row[1]!.padStart(7)} ${row[2]!.padStart(7)}`);
  const withinTarget = gzipBytes < TARGET_GZIP_BYTES;
  console.log(withinTarget ? 'within target' : 'OVER TARGET');
  const path = await writeResultsFile(new URL('../results/client-size.json', import.meta.url), {
    entry: 'src/client/index.ts',
    esbuild: { format: 'esm', platform: 'browser', target: 'es2022', minify: true },
    minifiedBytes,
    gzipBytes,
    targetGzipBytes: TARGET_GZIP_BYTES,
    withinTarget,
  });
  console.log(`wrote ${path}`);
  if (!withinTarget) process.exitCode = 1;
}

await main();
