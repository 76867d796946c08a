/**
 * The doc test's own rules (code-blocks.test.ts): how blocks are found and classified, which
 * addresses become the live server's, what a shell document runs and what a server example must do.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFreshBuild } from './ensure-build.js';
import { extractBlocks, findDocuments } from './fenced-blocks.js';
import { substituteServerUrl } from './live-server-url.js';
import { runProcess } from './run-process.js';
import { mountPrefix, runServerBlock, startsServer } from './server-blocks.js';
import { CURLRC, failingBlock, shellScript } from './shell-document.js';
import { REPO_ROOT } from '../helpers/spawn-instance.js';

const MARKDOWN = [
  '# Title',
  '```sh',
  'echo one',
  '```',
  'text',
  '````ts no-run: a fragment',
  'const a = 1;',
  '```',
  'still inside: a shorter fence does not close',
  '````',
  '  ~~~bash',
  '  echo indented',
  '  ~~~',
  '```json',
  '{}',
  '```',
  '```',
  'plain',
  '```',
  '```ts no-run',
  'x',
  '```',
].join('\n');

describe('extractBlocks', () => {
  const blocks = extractBlocks(MARKDOWN, 'doc.md');

  it('finds every fence with its line, language and code', () => {
    expect(blocks.map((b) => [b.line, b.language, b.kind])).toEqual([
      [2, 'sh', 'shell'],
      [6, 'ts', 'typescript'],
      [11, 'bash', 'shell'],
      [14, 'json', 'other'],
      [17, '', 'other'],
      [20, 'ts', 'typescript'],
    ]);
    expect(blocks[0]!.code).toBe('echo one\n');
    expect(blocks[1]!.code).toBe('const a = 1;\n```\nstill inside: a shorter fence does not close\n');
    expect(blocks[2]!.code).toBe('echo indented\n');
  });

  it('reads the no-run marker and its reason; a marker without a reason gives an empty one', () => {
    expect(blocks.map((b) => b.noRun)).toEqual([null, 'a fragment', null, null, null, '']);
  });

  it('finds README.md first, then the guides under docs/ in path order', () => {
    const documents = findDocuments(REPO_ROOT);
    expect(documents[0]).toBe('README.md');
    expect(documents).toContain('docs/verify.md');
    expect(documents.slice(1)).toEqual([...documents.slice(1)].sort());
  });
});

describe('substituteServerUrl', () => {
  const live = 'http://127.0.0.1:41234';
  it.each([
    ['curl -s localhost:3000/api/secure', 'curl -s 127.0.0.1:41234/api/secure'],
    ['curl http://127.0.0.1:3000/oauth/token', 'curl http://127.0.0.1:41234/oauth/token'],
    ["baseUrl: 'http://localhost:3000'", "baseUrl: 'http://127.0.0.1:41234'"],
    [
      "jwksUri: 'https://auth.example.com/.well-known/jwks.json'",
      "jwksUri: 'http://127.0.0.1:41234/.well-known/jwks.json'",
    ],
  ])('%s', (code, expected) => {
    expect(substituteServerUrl(code, live)).toBe(expected);
  });

  it.each([
    'https://api.example.com',
    'localhost:30001',
    'https://auth.example.community',
    'https://auth.example.com.evil.example',
    'mylocalhost:3000',
    '10.127.0.0.1:3000',
    'db.internal:5432',
  ])('leaves %s alone', (code) => {
    expect(substituteServerUrl(code, live)).toBe(code);
  });
});

describe('shellScript', () => {
  const block = (code: string, line = 1) => ({
    file: 'doc.md',
    line,
    language: 'sh',
    kind: 'shell' as const,
    noRun: null,
    code,
  });

  it('stops at the first failure and on unset variables, and marks each block', () => {
    const script = shellScript([block('echo a\n', 3), block('echo b\n', 9)], 'http://127.0.0.1:1');
    expect(script.startsWith('set -euo pipefail\n')).toBe(true);
    expect(failingBlock(`x\n### doc block doc.md:3\ny\n### doc block doc.md:9\nerror`)).toBe('doc.md:9');
    expect(script).toMatch(/doc block doc\.md:3[\s\S]*echo a[\s\S]*doc block doc\.md:9[\s\S]*echo b/);
  });

  it('does not run what installs, nor a bare npm start: the doc test has done what they do', () => {
    const code =
      'npm install\nnpm ci\n  npm start   # comment\nnpm install tessera\nnpm i -D hono\nnpm run build\n';
    const script = shellScript([block(code)], 'http://x:1');
    for (const line of [
      'npm install',
      'npm ci',
      'npm start   # comment',
      'npm install tessera',
      'npm i -D hono',
    ]) {
      expect(script).toContain(`: done by the doc test: ${line}\n`);
    }
    expect(script).toContain('\nnpm run build\n');
  });

  it.each([
    ['npm test', 'runs the test suite or a benchmark'],
    ['npm run test', 'runs the test suite or a benchmark'],
    ['npm run bench:token', 'runs the test suite or a benchmark'],
    ['BENCH_QUICK=1 npm run bench:http', 'runs the test suite or a benchmark'],
    ['TESSERA_PORT=3001 npm start &', 'starts a server of its own'],
    ['npm start &', 'starts a server of its own'],
    ['npm run start', 'starts a server of its own'],
    ['npx tessera serve --config tessera.json', 'starts a server of its own'],
    ['node dist/cli/main.js serve', 'starts a server of its own'],
    ['npm install && npm start', 'starts a server of its own'],
  ])('refuses a runnable block with %s', (code, why) => {
    expect(() => shellScript([block(`${code}\n`, 7)], 'http://x:1')).toThrow(
      `doc.md:7: ${why}; mark it \`no-run <reason>\``,
    );
  });
});

describe('a shell document as the doc test runs it', () => {
  const block = (code: string, line: number) => ({
    file: 'doc.md',
    line,
    language: 'sh',
    kind: 'shell' as const,
    noRun: null,
    code,
  });
  const run = (script: string, env: NodeJS.ProcessEnv = process.env) =>
    runProcess('bash', ['--noprofile', '--norc', '-c', script], { cwd: tmpdir(), env, timeoutMs: 30_000 });

  it('shares variables between the blocks of a document', async () => {
    const result = await run(
      shellScript([block('TOKEN=abc\n', 1), block('test "$TOKEN" = abc\n', 5)], 'http://x:1'),
    );
    expect(result.code, result.output).toBe(0);
  });

  it('fails in the block that uses a variable no block set, and runs nothing after it', async () => {
    const script = shellScript(
      [block('echo ok\n', 1), block('curl -s "x/$ACCESS_TOKEN"\n', 5), block('echo after\n', 9)],
      'http://x:1',
    );
    const result = await run(script);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('ACCESS_TOKEN: unbound variable');
    expect(failingBlock(result.output)).toBe('doc.md:5');
    expect(result.output).not.toContain('after');
  });

  it('fails when curl gets an HTTP error, with the curlrc the doc test gives it', async () => {
    const server = createServer((_request, response) =>
      response.writeHead(400).end('{"code":"invalid_request"}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const curlHome = mkdtempSync(join(tmpdir(), 'tessera-curlrc-'));
    writeFileSync(join(curlHome, '.curlrc'), CURLRC);
    try {
      const script = shellScript([block(`curl -s 127.0.0.1:${port}/auth/refresh\n`, 3)], 'http://x:1');
      const result = await run(script, { ...process.env, CURL_HOME: curlHome });
      expect(result.code).toBe(22); // curl: HTTP error
      expect(result.output).toContain('invalid_request');
    } finally {
      server.close();
      rmSync(curlHome, { recursive: true, force: true });
    }
  });
});

describe('server examples', () => {
  it.each([
    ["await app.listen({ host: '127.0.0.1', port })", true],
    ['app.listen(port);', true],
    ['serve({ fetch: app.fetch, port });', true],
    ['const verifier = createVerifier({ issuer });', false],
    ["await observe('listener');", false],
  ])('%s starts a server: %s', (code, expected) => {
    expect(startsServer(code)).toBe(expected);
  });

  it.each([
    ["tessera({ prefix: '/identity', config })", '/identity'],
    ['tessera({ config })', ''],
  ])('%s mounts Tessera under %j', (code, expected) => {
    expect(mountPrefix(code)).toBe(expected);
  });
});

describe('a server example as the doc test runs it', () => {
  const context = { origin: 'http://127.0.0.1:1', email: 'a@example.com', password: 'p', token: 't' };
  let dir: string;
  beforeAll(async () => {
    await ensureFreshBuild(REPO_ROOT); // run-block.ts sets the placeholders from the built package
    mkdirSync(join(REPO_ROOT, 'artifacts'), { recursive: true });
    dir = mkdtempSync(join(REPO_ROOT, 'artifacts', 'doc-servers-'));
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A stand-in for an embedding example: Tessera's two routes answered by hand, and the app's route. */
  const fakeApp = ({ guarded = true, usesDatabase = true } = {}) => `
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
const mount = { prefix: '/identity' };
${usesDatabase ? "writeFileSync(process.env.TESSERA_DATABASE_URL!.slice('sqlite:'.length), '');" : ''}
const routes: Record<string, (authorization?: string) => [number, unknown]> = {
  [\`POST \${mount.prefix}/auth/register\`]: () => [201, { access_token: 't' }],
  [\`POST \${mount.prefix}/auth/login\`]: () => [200, { access_token: 't' }],
  'GET /api/orders': (authorization) =>
    ${guarded} && authorization !== 'Bearer t' ? [401, { code: 'invalid_token' }] : [200, { orders: [] }],
};
createServer((request, response) => {
  const [status, body] = routes[\`\${request.method} \${request.url}\`]?.(request.headers.authorization) ?? [404, {}];
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}).listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
export {};
`;
  const run = (name: string, code: string, listenTimeoutMs?: number) => {
    const path = join(dir, `${name}.ts`);
    writeFileSync(path, code);
    const block = { file: 'doc.md', line: 1, language: 'ts', kind: 'typescript' as const, noRun: null, code };
    return runServerBlock(REPO_ROOT, { block, path }, context, { listenTimeoutMs });
  };

  it('passes an example that listens on PORT, uses its database and guards its route', async () => {
    await expect(run('guarded', fakeApp())).resolves.toBeUndefined();
  }, 60_000);

  it('fails an example whose protected route answers without a token', async () => {
    await expect(run('open', fakeApp({ guarded: false }))).rejects.toThrow(
      'GET /api/orders without a token answered 200, expected 401',
    );
  }, 60_000);

  it('fails an example that ignores TESSERA_DATABASE_URL', async () => {
    await expect(run('own-database', fakeApp({ usesDatabase: false }))).rejects.toThrow(
      'the example did not use the database in TESSERA_DATABASE_URL',
    );
  }, 60_000);

  it('fails an example that exits before listening, with what it printed', async () => {
    const code = "throw new Error('no settings given');\nexport {};\n";
    await expect(run('exits', code)).rejects.toThrow(/exited before listening[^]*no settings given/);
  }, 60_000);

  it('fails an example that never listens, at the deadline', async () => {
    const code = 'setInterval(() => undefined, 1000);\nexport {};\n';
    await expect(run('silent', code, 3000)).rejects.toThrow('did not listen within 3000 ms');
  }, 60_000);
});
