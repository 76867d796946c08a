/**
 * node --import tsx bench/http/embed-cost.ts — what embedding costs per request, in CPU time rather
 * than throughput (on a shared, loaded machine throughput mostly measures the neighbours): the same
 * verified-token request answered by the standalone app's /api/secure, by a host Fastify route behind
 * tessera()'s requireAuth, and by the Web handler's authenticate(). Each in-process through inject(), so
 * the sockets are left out and the difference is the embedding's own; interleaved rounds, medians.
 * Prints a table and writes bench/results/embed-cost.json. BENCH_QUICK=1 for a shorter run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { loadConfig } from '../../src/config/load-config.js';
import { buildApp } from '../../src/http/build-app.js';
import { createTesseraHandler, tessera } from '../../src/index.js';
import { systemClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { cryptoRandom } from '../../src/platform/random.js';
import { createDeps } from '../../src/server/create-deps.js';
import { openStores } from '../../src/server/open-stores.js';
import { isQuickRun } from '../lib/env.js';
import { formatRatio } from '../lib/format.js';
import { writeResultsFile } from '../lib/results-file.js';
import { median } from '../lib/stats.js';

const OPS = isQuickRun() ? 1000 : 3000;
const ROUNDS = isQuickRun() ? 5 : 9;
const REGISTER = { email: 'cost@example.com', password: 'bench password 123' };
const settings = () => ({
  databaseUrl: `sqlite:${join(mkdtempSync(join(tmpdir(), 'tessera-embed-cost-')), 'bench.db')}`,
  logLevel: 'silent',
  accessTokenTtlSeconds: '1d',
});

async function standalone() {
  const config = loadConfig({ env: {}, settings: settings() });
  const { stores, revocations } = await openStores(config, systemClock);
  const deps = await createDeps({
    config,
    stores,
    clock: systemClock,
    random: cryptoRandom,
    logger: createSilentLogger(),
    revocations,
  });
  const app = await buildApp(deps);
  const token = (await app.inject({ method: 'POST', url: '/auth/register', payload: REGISTER })).json()
    .access_token as string;
  const headers = { authorization: `Bearer ${token}` };
  return async () => void (await app.inject({ method: 'GET', url: '/api/secure', headers }));
}

async function plugin() {
  const app = Fastify({ logger: false });
  await app.register(tessera({ prefix: '/identity', config: settings() }));
  app.get('/api/secure', { preHandler: app.tessera.requireAuth }, async (request) => ({
    message: 'You reached a protected resource.',
    sub: request.principal!.userId,
  }));
  const token = (
    await app.inject({ method: 'POST', url: '/identity/auth/register', payload: REGISTER })
  ).json().access_token as string;
  const headers = { authorization: `Bearer ${token}` };
  return async () => void (await app.inject({ method: 'GET', url: '/api/secure', headers }));
}

async function webHandler() {
  const auth = await createTesseraHandler({ prefix: '/identity', config: settings() });
  const registered = await auth.handler(
    new Request('http://127.0.0.1/identity/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(REGISTER),
    }),
  );
  const token = ((await registered.json()) as { access_token: string }).access_token;
  const headers = { authorization: `Bearer ${token}` };
  return async () => {
    const result = await auth.authenticate(new Request('http://127.0.0.1/api/secure', { headers }));
    if (result.principal === undefined) throw new Error('refused');
  };
}

/** CPU microseconds per operation over one batch. */
async function cpuMicrosPerOp(run: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < OPS; i++) await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / OPS;
}

const cases = [
  { name: 'standalone GET /api/secure', run: await standalone() },
  { name: 'host route via tessera() requireAuth', run: await plugin() },
  { name: 'Web handler authenticate()', run: await webHandler() },
];
const samples = new Map(cases.map((c) => [c.name, [] as number[]]));
for (const c of cases) await cpuMicrosPerOp(c.run); // warm-up
for (let round = 0; round < ROUNDS; round++)
  for (const c of cases) samples.get(c.name)!.push(await cpuMicrosPerOp(c.run));
const base = median(samples.get(cases[0]!.name)!);
const results = cases.map((c) => {
  const micros = median(samples.get(c.name)!);
  return { scenario: c.name, cpuMicrosPerRequest: Number(micros.toFixed(1)), vsStandalone: micros / base };
});
for (const r of results)
  console.log(
    `${r.scenario.padEnd(40)} ${r.cpuMicrosPerRequest.toFixed(1).padStart(7)} µs CPU/request  ${formatRatio(r.vsStandalone)}`,
  );
const path = await writeResultsFile(new URL('../results/embed-cost.json', import.meta.url), {
  node: process.version,
  quick: isQuickRun(),
  opsPerRound: OPS,
  rounds: ROUNDS,
  results,
});
console.log(`\nwrote ${path}`);
process.exit(0);
