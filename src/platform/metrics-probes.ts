import { Gauge, type Registry } from 'prom-client';
import type { MetricsProbes } from './metrics.js';

/**
 * How long a scrape waits for one probe. Prometheus's default scrape timeout is 10 s; a database that
 * takes longer than this to answer a ping is reported down rather than making the whole scrape fail.
 */
export const PROBE_TIMEOUT_MS = 2000;

const TIMED_OUT = Symbol('timed out');

/** The probe's answer, or TIMED_OUT (or the error, rethrown) once `timeoutMs` has passed. */
export async function withTimeout<T>(
  probe: () => Promise<T>,
  timeoutMs: number,
): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([probe(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls made while a call is pending share its answer; the next call after it settles starts anew. */
function shareWhilePending<T>(run: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= run().finally(() => {
      pending = undefined;
    }));
}

/**
 * The gauges read at scrape time (prom-client calls `collect` before each exposition). Only the
 * probes given become metrics: without Redis there is no Redis series, with configured keys no key age.
 * Returns the names registered.
 */
export function addProbeGauges(
  registry: Registry,
  probes: MetricsProbes,
  timing: { now: () => number; timeoutMs?: number },
): string[] {
  const timeoutMs = timing.timeoutMs ?? PROBE_TIMEOUT_MS;
  const registers = [registry];
  // One ping per scrape, shared by both gauges (prom-client collects the metrics concurrently).
  const pingDatabase = shareWhilePending(async () => {
    const started = timing.now();
    const answer = await withTimeout(probes.pingDatabase, timeoutMs).catch(() => false);
    return { up: answer === true, seconds: (timing.now() - started) / 1000 };
  });
  const up = new Gauge({
    name: 'tessera_store_up',
    help: 'Whether the store answered at scrape time (1) or not (0), by store.',
    labelNames: ['store'] as const,
    registers,
    async collect() {
      up.set({ store: 'database' }, (await pingDatabase()).up ? 1 : 0);
      if (probes.redisHealthy !== undefined) up.set({ store: 'redis' }, probes.redisHealthy() ? 1 : 0);
    },
  });
  const ping = new Gauge({
    name: 'tessera_store_ping_seconds',
    help: 'How long the database took to answer its ping at scrape time (about the timeout when it did not).',
    labelNames: ['store'] as const,
    registers,
    async collect() {
      ping.set({ store: 'database' }, (await pingDatabase()).seconds);
    },
  });
  const { signingKeyActivatedAt, mailOutboxCounts } = probes;
  if (signingKeyActivatedAt !== undefined) {
    const keyAge = new Gauge({
      name: 'tessera_signing_key_age_seconds',
      help: 'How long the current signing key has been signing.',
      registers,
      async collect() {
        const since = await withTimeout(signingKeyActivatedAt, timeoutMs).catch(() => undefined);
        // Unknown (store away): NaN, which Prometheus stores as a gap rather than a false age.
        const ageSeconds =
          since instanceof Date ? (probes.now().getTime() - since.getTime()) / 1000 : Number.NaN;
        keyAge.set(Number.isNaN(ageSeconds) ? ageSeconds : Math.max(0, ageSeconds));
      },
    });
  }
  if (mailOutboxCounts !== undefined) {
    const outbox = new Gauge({
      name: 'tessera_mail_outbox_messages',
      help: 'Messages in the durable mail outbox, by status (pending is the queue depth).',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        const counts = await withTimeout(mailOutboxCounts, timeoutMs).catch(() => TIMED_OUT);
        outbox.reset();
        if (counts === TIMED_OUT) return;
        for (const [status, count] of Object.entries(counts)) outbox.set({ status }, count);
      },
    });
  }
  return registry
    .getMetricsAsArray()
    .map((metric) => metric.name)
    .filter((name) => PROBE_GAUGES.has(name));
}

const PROBE_GAUGES = new Set([
  'tessera_store_up',
  'tessera_store_ping_seconds',
  'tessera_signing_key_age_seconds',
  'tessera_mail_outbox_messages',
]);
