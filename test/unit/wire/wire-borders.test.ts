import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = [value];\n`, {
    filePath: join(root, file),
  });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/** Lint keeps the wire contract dependency-free and the SDK away from server code (eslint.config.js). */
describe('wire contract borders', () => {
  it.each([
    "import { value } from '../errors.js';",
    "import { value } from '../flows/user-view.js';",
    "import { value } from 'node:crypto';",
    "import value from 'fs';",
    "import { value } from 'fastify';",
    "import { value } from '../wire/user-view.js';",
  ])('src/wire/ refuses %s', async (source) => {
    expect(await restrictedImports('src/wire/probe.ts', source)).toHaveLength(1);
  });

  it('src/wire/ may import its own files', async () => {
    expect(await restrictedImports('src/wire/probe.ts', "import { value } from './error-codes.js';")).toEqual(
      [],
    );
  });

  it.each([
    "import { value } from '../errors.js';",
    "import { value } from '../flows/user-view.js';",
    "import { value } from '../../test/helpers/x.js';",
    "import { value } from 'node:crypto';",
  ])('src/client/ refuses %s', async (source) => {
    expect(await restrictedImports('src/client/probe.ts', source)).toHaveLength(1);
  });

  it.each(["import { value } from '../wire/error-codes.js';", "import { value } from './http-problem.js';"])(
    'src/client/ may import %s',
    async (source) => {
      expect(await restrictedImports('src/client/probe.ts', source)).toEqual([]);
    },
  );
});
