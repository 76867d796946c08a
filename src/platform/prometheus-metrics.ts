import { performance } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { SIGN_IN_OUTCOMES, type Metrics, type MetricsProbes, type SignInOutcome } from './metrics.js';
import { addProbeGauges } from './metrics-probes.js';

export interface PrometheusMetricsOptions {
  /** The configured rate-limit rules: counted by name, and shown at 0 before the first refusal. */
  rateLimitRules: readonly string[];
  /**
   * prom-client's process metrics (CPU, memory, event-loop lag, GC). They watch the whole process, so
   * only the server turns them on, once; an app built in a test leaves them off.
   */
  processMetrics?: boolean;
}

/** The label of every request no route matched (404s, scanners): one series, whatever the URL. */
export const UNMATCHED_ROUTE = '(unmatched)';
/** The label of a method outside HTTP's usual ones, and of a status outside 100–599. */
export const OTHER_LABEL = 'other';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Seconds: from a JWKS answer (sub-millisecond) to an argon2id sign-in on a loaded host. */
const REQUEST_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: Redis pub/sub normally delivers within milliseconds; tens of seconds means a partition. */
const PROPAGATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The Prometheus adapter of the metrics port, over its own registry: an app instance owns its
 * metrics, so many apps in one process (tests, several embeddings) never share a series or register a
 * name twice. Every label value is bounded here, whatever the caller passes.
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions): Metrics & { registry: Registry } {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics === true) collectDefaultMetrics({ register: registry });
  const rules = new Set(options.rateLimitRules);

  const requests = new Counter({
    name: 'tessera_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const requestSeconds = new Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'Time from receiving a request to the end of its answer, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  });
  const signIns = new Counter({
    name: 'tessera_sign_ins_total',
    help: 'Passes through the login pipeline, by outcome.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const lockouts = new Counter({
    name: 'tessera_lockouts_total',
    help: 'E-mails locked out after repeated failed sign-ins (each lock started, not each refusal).',
    registers,
  });
  const rotations = new Counter({
    name: 'tessera_refresh_rotations_total',
    help: 'Refresh tokens exchanged for their successor.',
    registers,
  });
  const reuses = new Counter({
    name: 'tessera_refresh_reuse_detections_total',
    help: 'Used refresh tokens presented after the grace window: the session was revoked (theft suspected).',
    registers,
  });
  const announced = new Counter({
    name: 'tessera_revocations_announced_total',
    help: 'Revoked session ids announced by this instance to the revocation list (and Redis fan-out).',
    registers,
  });
  const announceFailures = new Counter({
    name: 'tessera_revocation_announce_failures_total',
    help: 'Announcements that could not be published to Redis (kept and published after the reconnect).',
    registers,
  });
  const propagation = new Histogram({
    name: 'tessera_revocation_propagation_seconds',
    help: "Time from another instance's revocation announcement to this instance hearing it (Redis).",
    buckets: PROPAGATION_BUCKETS,
    registers,
  });
  const rateLimited = new Counter({
    name: 'tessera_rate_limited_total',
    help: 'Requests refused with 429 by a rate limit, by rule.',
    labelNames: ['rule'] as const,
    registers,
  });
  // Every outcome and rule is shown from the start, so rate() and absent-series alerts work at once.
  for (const outcome of SIGN_IN_OUTCOMES) signIns.inc({ outcome }, 0);
  for (const rule of rules) rateLimited.inc({ rule }, 0);

  let probeGauges: readonly string[] = [];
  return {
    enabled: true,
    registry,
    signIn: (outcome: SignInOutcome) => signIns.inc({ outcome: boundOutcome(outcome) }),
    lockoutStarted: () => lockouts.inc(),
    refreshRotated: () => rotations.inc(),
    refreshReuseDetected: () => reuses.inc(),
    revocationsAnnounced: (sessionCount) => {
      if (Number.isFinite(sessionCount) && sessionCount > 0) announced.inc(sessionCount);
    },
    revocationAnnounceFailed: () => announceFailures.inc(),
    // Clocks of two hosts differ: a message that seems to come from the future arrived at once.
    revocationHeard: (lagSeconds) =>
      propagation.observe(Number.isFinite(lagSeconds) ? Math.max(0, lagSeconds) : 0),
    rateLimited: (rule) => rateLimited.inc({ rule: rules.has(rule) ? rule : OTHER_LABEL }),
    request({ method, route, status, durationSeconds }) {
      const labels = { method: boundMethod(method), route: route ?? UNMATCHED_ROUTE };
      requests.inc({ ...labels, status: boundStatus(status) });
      requestSeconds.observe(labels, Math.max(0, durationSeconds));
    },
    watch(probes: MetricsProbes) {
      // Deps rebuilt over the same metrics (a test re-wiring a port) bring their own probes: theirs win.
      for (const name of probeGauges) registry.removeSingleMetric(name);
      probeGauges = addProbeGauges(registry, probes, { now: () => performance.now() });
    },
    expose: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}

function boundMethod(method: string): string {
  const upper = method.toUpperCase();
  return METHODS.has(upper) ? upper : OTHER_LABEL;
}

function boundStatus(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : OTHER_LABEL;
}

function boundOutcome(outcome: SignInOutcome): SignInOutcome {
  return SIGN_IN_OUTCOMES.includes(outcome) ? outcome : 'error';
}
