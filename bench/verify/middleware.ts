import { runLoad, type LoadResult } from '../http/load.js';
import { median } from '../lib/stats.js';
import type { VerifyFixture } from './fixture.js';
import { MIDDLEWARE_KINDS, MIDDLEWARE_LABELS, SECURE_PATH, type MiddlewareKind } from './middleware-kinds.js';
import { spawnMiddlewareTarget, type RunningMiddlewareTarget } from './spawn-middleware-target.js';

export interface MiddlewareOptions {
  /** Per target, before the first measured run. */
  readonly warmupSeconds: number;
  /** Measured runs per target; odd runs go through the targets in reverse order. */
  readonly runs: number;
  readonly runSeconds: number;
  readonly connections: number;
}

export interface MiddlewareMeasured {
  readonly kind: MiddlewareKind;
  readonly label: string;
  /** Medians over the runs. */
  readonly reqPerSec: number;
  readonly p99Ms: number;
  readonly samples: readonly Pick<LoadResult, 'reqPerSec' | 'p99Ms'>[];
}

export interface MiddlewareResults {
  readonly measured: readonly MiddlewareMeasured[];
  /** Refusals answered with another status than 401 (still refusals, but worth saying). */
  readonly notes: readonly string[];
}

/**
 * Requests/s through each Fastify target (each in its own process, loaded by autocannon from this
 * one on loopback), all carrying the fixture's token. Every target first shows that it answers 200
 * with the token's sub and refuses every bad token (any 4xx or 5xx; 401 is the right answer).
 */
export async function measureMiddleware(
  fixture: VerifyFixture,
  jwksUrl: string,
  options: MiddlewareOptions,
  progress: (message: string) => void,
): Promise<MiddlewareResults> {
  const targets: RunningMiddlewareTarget[] = [];
  try {
    for (const kind of MIDDLEWARE_KINDS) targets.push(await spawnMiddlewareTarget(kind, jwksUrl));
    const notes: string[] = [];
    for (const target of targets) notes.push(...(await checkTarget(target, fixture)));
    for (const [index, target] of targets.entries()) {
      progress(`middleware warm-up ${index + 1}/${targets.length}`);
      await load(target, fixture, options, options.warmupSeconds);
    }
    const samples = new Map<MiddlewareKind, LoadResult[]>(targets.map((t) => [t.kind, []]));
    for (let run = 0; run < options.runs; run++) {
      progress(`middleware run ${run + 1}/${options.runs}`);
      const order = run % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) samples.get(target.kind)!.push(await load(target, fixture, options));
    }
    const measured = targets.map(({ kind }) => {
      const runs = samples.get(kind)!;
      return {
        kind,
        label: MIDDLEWARE_LABELS[kind],
        reqPerSec: median(runs.map((r) => r.reqPerSec)),
        p99Ms: median(runs.map((r) => r.p99Ms)),
        samples: runs.map(({ reqPerSec, p99Ms }) => ({ reqPerSec, p99Ms })),
      };
    });
    return { measured, notes };
  } finally {
    await Promise.all(targets.map((target) => target.stop()));
  }
}

function load(
  target: RunningMiddlewareTarget,
  fixture: VerifyFixture,
  options: MiddlewareOptions,
  seconds = options.runSeconds,
): Promise<LoadResult> {
  return runLoad(
    {
      url: `${target.url}${SECURE_PATH}`,
      connections: options.connections,
      duration: seconds,
      headers: { authorization: `Bearer ${fixture.token}` },
    },
    `middleware ${target.kind}`,
  );
}

/** Throws unless the target accepts the token and refuses the bad ones; returns notes on odd refusals. */
async function checkTarget(target: RunningMiddlewareTarget, fixture: VerifyFixture): Promise<string[]> {
  const get = (token: string) =>
    fetch(`${target.url}${SECURE_PATH}`, { headers: { authorization: `Bearer ${token}` } });
  const accepted = await get(fixture.token);
  const body = (await accepted.json()) as { sub?: unknown };
  if (accepted.status !== 200 || body.sub !== fixture.claims.sub)
    throw new Error(`middleware ${target.kind}: answered ${accepted.status} to the benchmark token.`);
  const notes: string[] = [];
  for (const [what, bad] of Object.entries(fixture.refused)) {
    const refused = await get(bad);
    await refused.arrayBuffer();
    if (refused.status < 400)
      throw new Error(
        `middleware ${target.kind}: answered ${refused.status} to a token it must refuse (${what}).`,
      );
    if (refused.status !== 401)
      notes.push(`${target.kind} refuses a ${what} token with ${refused.status}, not 401.`);
  }
  return notes;
}
