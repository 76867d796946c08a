/**
 * Every runnable code block of README.md and docs/ runs against a live server, so a document cannot
 * drift from the code. What runs and how:
 * - shell blocks (sh, bash, shell): per document, in order, in one bash (shell-document.ts has the
 *   rules: stop at the first failure, unset variables are errors, `npm install`/`npm start` are done by
 *   this test); curl gets `fail-with-body` from a curlrc, so an HTTP error fails the block too. They run
 *   in the repository root with the live server's TESSERA_* settings, as a reader in the server's
 *   folder would (so `npx tessera` works on the server's database).
 * - TypeScript blocks (ts, typescript): type-checked, then each run as its own module
 *   (typescript-blocks.ts), with the reader's own things from doc-placeholders.ts. A block that starts a
 *   server is run as a server on its own port and database and driven through a seed flow
 *   (server-blocks.ts, decision 0034).
 * - the example addresses (127.0.0.1:3000, localhost:3000, https://auth.example.com) become the live
 *   server's (live-server-url.ts); the server runs on a free loopback port with a temporary SQLite file.
 * - other languages are data or output and never run; a runnable block that cannot run says
 *   `no-run <reason>`, and the first test lists them all.
 * Documents run in reading order (README first) on one server: a guide may rely on the README's quick
 * start (the account it registers), not on another guide.
 * @see issue 12 ("Docs that run")
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, spawnInstance, type Instance } from '../helpers/spawn-instance.js';
import type { DocTestContext } from './doc-placeholders.js';
import { ensureFreshBuild } from './ensure-build.js';
import { readAllBlocks, type CodeBlock } from './fenced-blocks.js';
import { freePort } from './free-port.js';
import { runProcess } from './run-process.js';
import { runServerBlock, startsServer } from './server-blocks.js';
import { CURLRC, failingBlock, shellScript } from './shell-document.js';
import { runBlockModule, typeCheck, writeBlockModules, type BlockModule } from './typescript-blocks.js';

const blocks = readAllBlocks(REPO_ROOT);
const runnable = blocks.filter((b) => b.kind !== 'other' && b.noRun === null);
const optedOut = blocks.filter((b) => b.kind !== 'other' && b.noRun !== null);
const shellDocuments = [...new Set(runnable.filter((b) => b.kind === 'shell').map((b) => b.file))];
const typescriptBlocks = runnable.filter((b) => b.kind === 'typescript');
const where = (b: CodeBlock) => `${b.file}:${b.line}`;

let server: Instance;
let context: DocTestContext;
let shellEnv: NodeJS.ProcessEnv;
let dataDir: string;
let modulesDir: string;
let modules: BlockModule[];

/**
 * The server on a port chosen first, so that its issuer (what examples check `iss` against) is its own
 * URL; another process may take the port in between, hence a few attempts.
 */
async function startServer(settings: Record<string, string>): Promise<Instance> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const env = { ...settings, TESSERA_ISSUER: `http://127.0.0.1:${port}` };
    try {
      return await spawnInstance({ env, port, name: 'docs', startTimeoutMs: 60_000 });
    } catch (error) {
      const portTaken = error instanceof Error && error.message.includes('EADDRINUSE');
      if (!portTaken || attempt === 3) throw error;
    }
  }
}

async function register(origin: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${origin}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 201 || body.access_token === undefined) {
    throw new Error(`registering ${email} failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

/**
 * The reader of the TypeScript examples: a registered user who signs in (and out, everywhere), and an
 * access token of another user, standing for a token an API received, which those sign-outs leave valid.
 */
async function registerReaders(origin: string): Promise<DocTestContext> {
  const email = 'reader@example.com';
  const password = 'a long example passphrase';
  await register(origin, email, password);
  const token = await register(origin, 'api-caller@example.com', 'another example passphrase');
  return { origin, email, password, token };
}

beforeAll(async () => {
  await ensureFreshBuild(REPO_ROOT);
  dataDir = mkdtempSync(join(tmpdir(), 'tessera-docs-'));
  writeFileSync(join(dataDir, '.curlrc'), CURLRC);
  const settings = { TESSERA_DATABASE_URL: `sqlite:${join(dataDir, 'tessera.db')}` };
  server = await startServer(settings);
  context = await registerReaders(server.url);
  const inherited = Object.entries(process.env).filter(([key]) => !key.startsWith('TESSERA_'));
  const issuer = { TESSERA_ISSUER: server.url };
  shellEnv = { ...Object.fromEntries(inherited), ...settings, ...issuer, CURL_HOME: dataDir };
  mkdirSync(join(REPO_ROOT, 'artifacts'), { recursive: true });
  modulesDir = mkdtempSync(join(REPO_ROOT, 'artifacts', 'doc-blocks-'));
  modules = writeBlockModules(typescriptBlocks, modulesDir, server.url);
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  if (modulesDir !== undefined) rmSync(modulesDir, { recursive: true, force: true });
});

describe('documentation code blocks', () => {
  it('lists the runnable blocks that do not run, each with its reason', () => {
    const list = optedOut.map((b) => `  ${where(b)} (${b.language}): ${b.noRun || '(no reason given)'}`);
    console.info(`doc blocks: ${runnable.length} run, ${optedOut.length} opted out\n${list.join('\n')}`);
    expect(optedOut.filter((b) => b.noRun === '').map(where)).toEqual([]);
    expect(shellDocuments).toContain('README.md');
    expect(typescriptBlocks.length).toBeGreaterThan(0);
  });

  it('has the tools the shell examples use: bash, curl and jq', async () => {
    const result = await runProcess('bash', ['-c', 'command -v curl && command -v jq'], {
      cwd: REPO_ROOT,
      env: shellEnv,
      timeoutMs: 10_000,
    });
    expect(result.code, `missing (jq: apt-get install jq):\n${result.output}`).toBe(0);
  });
});

describe.each(shellDocuments)('shell blocks of %s', (file) => {
  it('run in order in one shell, as pasted', async () => {
    const script = shellScript(
      runnable.filter((b) => b.kind === 'shell' && b.file === file),
      server.url,
    );
    const before = new Set(readdirSync(REPO_ROOT));
    try {
      const result = await runProcess('bash', ['--noprofile', '--norc', '-c', script], {
        cwd: REPO_ROOT,
        env: shellEnv,
        timeoutMs: 90_000,
      });
      const message = `the block at ${failingBlock(result.output)} failed (${result.timedOut ? 'timed out' : `exit ${result.code}`}):\n${result.output}`;
      expect(result.code, message).toBe(0);
    } finally {
      // Files an example wrote into the working directory (jwks.json, …) are the reader's, not the repository's.
      for (const name of readdirSync(REPO_ROOT)) {
        if (!before.has(name) && statSync(join(REPO_ROOT, name)).isFile()) rmSync(join(REPO_ROOT, name));
      }
    }
  }, 120_000);
});

describe('TypeScript blocks', () => {
  it('type-check with the project settings against the built package', async () => {
    const result = await typeCheck(REPO_ROOT, modulesDir, modules);
    const located = modules.map((m) => `  ${m.path} = ${where(m.block)}`).join('\n');
    expect(
      result.code,
      `${result.output}\nfiles (line n of a file is line n after the fence):\n${located}`,
    ).toBe(0);
  }, 150_000);

  const scripts = typescriptBlocks.filter((b) => !startsServer(b.code));
  const servers = typescriptBlocks.filter((b) => startsServer(b.code));
  const moduleOf = (block: CodeBlock) => modules.find((m) => m.block === block)!;

  it.each(scripts.map((b) => [where(b), b] as const))(
    '%s runs',
    async (_name, block) => {
      const result = await runBlockModule(REPO_ROOT, moduleOf(block), context);
      expect(result.code, `${result.timedOut ? 'timed out' : `exit ${result.code}`}:\n${result.output}`).toBe(
        0,
      );
    },
    90_000,
  );

  it.each(servers.map((b) => [where(b), b] as const))(
    '%s serves the seed flow on its own port and database',
    async (_name, block) => {
      await runServerBlock(REPO_ROOT, moduleOf(block), context);
    },
    150_000,
  );
});
