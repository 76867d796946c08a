/**
 * TypeScript blocks as the reader would use them: each block is a module of its own, written inside
 * the repository (artifacts/, ignored by git) so that `tessera/...` imports resolve through the
 * package's own exports to dist/, like an installed package. All blocks are type-checked together
 * with the project's compiler options, then each is run with tsx (run-block.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { placeholderDeclarations, type DocTestContext } from './doc-placeholders.js';
import type { CodeBlock } from './fenced-blocks.js';
import { substituteServerUrl } from './live-server-url.js';
import { runProcess, type ProcessResult } from './run-process.js';

export interface BlockModule {
  readonly block: CodeBlock;
  readonly path: string;
}

/** One file per block, its lines at the same offsets as in the document (line n of the block is line n). */
export function writeBlockModules(
  blocks: readonly CodeBlock[],
  dir: string,
  liveOrigin: string,
): BlockModule[] {
  mkdirSync(dir, { recursive: true });
  return blocks.map((block) => {
    const path = join(dir, `${block.file.replaceAll('/', '__')}-L${block.line}.ts`);
    // `export {}` makes a block without imports a module too: its names stay its own.
    writeFileSync(path, `${substituteServerUrl(block.code, liveOrigin)}export {};\n`);
    return { block, path };
  });
}

/** `tsc --noEmit` over the blocks and the placeholders' declarations, with the project's options. */
export function typeCheck(
  root: string,
  dir: string,
  modules: readonly BlockModule[],
): Promise<ProcessResult> {
  const tsconfig = {
    extends: join(root, 'tsconfig.json'),
    compilerOptions: { noEmit: true, rootDir: root },
    include: [...modules.map((m) => m.path), join(dir, 'placeholders.d.ts')],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  writeFileSync(
    join(dir, 'placeholders.d.ts'),
    placeholderDeclarations(join(root, 'test/docs/doc-placeholders.js')),
  );
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  return runProcess(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], {
    cwd: root,
    env: process.env,
    timeoutMs: 120_000,
  });
}

export function runBlockModule(
  root: string,
  module: BlockModule,
  context: DocTestContext,
): Promise<ProcessResult> {
  return runProcess(
    process.execPath,
    ['--import', 'tsx', join(root, 'test/docs/run-block.ts'), module.path],
    {
      cwd: root,
      env: { ...process.env, DOC_TEST_CONTEXT: JSON.stringify(context) },
      timeoutMs: 60_000,
    },
  );
}
