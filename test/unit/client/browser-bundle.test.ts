import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = join(import.meta.dirname, '..', '..', '..', 'src', 'client', 'index.ts');

/** The SDK must bundle for the browser on its own: any node: import (or a Node builtin) fails here. */
describe('the browser bundle of tessera/client', () => {
  it('builds for platform "browser" and contains no node: import', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/["']node:/);
    expect(code).not.toMatch(/\brequire\(/);
    expect(code).toMatch(/createTesseraClient/);
  });
});
