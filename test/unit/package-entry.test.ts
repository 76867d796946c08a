import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Which of the server's heavy dependencies a fresh Node process has loaded after importing `entry`. */
async function heavyModulesLoadedBy(entry: string): Promise<string[]> {
  const script = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(entry)});
    const require = createRequire(${JSON.stringify(`${ROOT}/package.json`)});
    const heavy = ['fastify', '@fastify/cookie', 'pg', 'ioredis', 'better-sqlite3', 'pino'];
    console.log(JSON.stringify(heavy.filter((name) => require.resolve(name) in require.cache)));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: ROOT,
      timeout: 60_000,
    },
  );
  return JSON.parse(stdout.trim()) as string[];
}

/**
 * `import { signJwt } from 'tessera'` must stay a token library import: the embedding entry points
 * (tessera(), createTesseraHandler()) load Fastify, the database drivers and Redis only when used.
 */
describe("the package entry point 'tessera'", () => {
  it('loads none of the server dependencies on import', async () => {
    expect(await heavyModulesLoadedBy('./src/index.ts')).toEqual([]);
  }, 90_000);

  it('is measured by a check that sees them when they are loaded', async () => {
    expect(await heavyModulesLoadedBy('./src/server/open-embedded.ts')).toEqual(
      expect.arrayContaining(['pg', 'ioredis', 'better-sqlite3']),
    );
    expect(await heavyModulesLoadedBy('./src/http/embed/web-handler.ts')).toEqual(
      expect.arrayContaining(['fastify', '@fastify/cookie']),
    );
  }, 90_000);
});
