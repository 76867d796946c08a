import { describe, expect, it } from 'vitest';
import { noopMetrics, type MetricsProbes } from '../../../src/platform/metrics.js';
import { Registry } from 'prom-client';
import { addProbeGauges, PROBE_TIMEOUT_MS, withTimeout } from '../../../src/platform/metrics-probes.js';
import {
  createPrometheusMetrics,
  OTHER_LABEL,
  UNMATCHED_ROUTE,
} from '../../../src/platform/prometheus-metrics.js';
import { parseExposition, sampleValue, type Exposition } from '../../helpers/prometheus-text.js';

const RULES = ['loginPerIp', 'refreshPerIp'];

async function read(metrics: { expose(): Promise<{ body: string }> }): Promise<Exposition> {
  return parseExposition((await metrics.expose()).body);
}

const probes = (overrides: Partial<MetricsProbes> = {}): MetricsProbes => ({
  pingDatabase: async () => true,
  now: () => new Date('2026-01-15T12:00:00Z'),
  ...overrides,
});

describe('createPrometheusMetrics', () => {
  it('keeps a registry per instance: two instances count apart and register the same names', async () => {
    const a = createPrometheusMetrics({ rateLimitRules: RULES });
    const b = createPrometheusMetrics({ rateLimitRules: RULES });
    a.signIn('succeeded');
    a.signIn('succeeded');
    b.signIn('failed');
    expect(sampleValue(await read(a), 'tessera_sign_ins_total', { outcome: 'succeeded' })).toBe(2);
    expect(sampleValue(await read(b), 'tessera_sign_ins_total', { outcome: 'succeeded' })).toBe(0);
    expect(sampleValue(await read(b), 'tessera_sign_ins_total', { outcome: 'failed' })).toBe(1);
  });

  it('shows every sign-in outcome and configured rule at 0 before anything happens', async () => {
    const exposition = await read(createPrometheusMetrics({ rateLimitRules: RULES }));
    for (const outcome of ['succeeded', 'failed', 'locked', 'disabled', 'refused', 'error']) {
      expect(sampleValue(exposition, 'tessera_sign_ins_total', { outcome })).toBe(0);
    }
    for (const rule of RULES) expect(sampleValue(exposition, 'tessera_rate_limited_total', { rule })).toBe(0);
  });

  it('bounds every label: unknown method, status, rule and outcome fold into one value', async () => {
    const metrics = createPrometheusMetrics({ rateLimitRules: RULES });
    metrics.request({ method: 'BREW', route: '/x', status: 200, durationSeconds: 0.01 });
    metrics.request({ method: 'get', route: undefined, status: 404, durationSeconds: 0.01 });
    metrics.request({ method: 'GET', route: '/x', status: 1000, durationSeconds: -1 });
    metrics.rateLimited('alice@example.com');
    metrics.signIn('mystery' as never);
    const exposition = await read(metrics);
    const requests = 'tessera_http_requests_total';
    expect(sampleValue(exposition, requests, { method: OTHER_LABEL, route: '/x', status: '200' })).toBe(1);
    expect(sampleValue(exposition, requests, { method: 'GET', route: UNMATCHED_ROUTE, status: '404' })).toBe(
      1,
    );
    expect(sampleValue(exposition, requests, { method: 'GET', route: '/x', status: OTHER_LABEL })).toBe(1);
    expect(sampleValue(exposition, 'tessera_rate_limited_total', { rule: OTHER_LABEL })).toBe(1);
    expect(sampleValue(exposition, 'tessera_sign_ins_total', { outcome: 'error' })).toBe(1);
    // A negative duration (a clock step) is recorded as 0, not as a negative sum.
    expect(
      sampleValue(exposition, 'tessera_http_request_duration_seconds_sum', { method: 'GET', route: '/x' }),
    ).toBe(0);
    expect((await metrics.expose()).body).not.toContain('alice');
  });

  it('counts the plain counters and histograms', async () => {
    const metrics = createPrometheusMetrics({ rateLimitRules: RULES });
    metrics.lockoutStarted();
    metrics.refreshRotated();
    metrics.refreshRotated();
    metrics.refreshReuseDetected();
    metrics.revocationsAnnounced(3);
    metrics.revocationsAnnounced(0);
    metrics.revocationAnnounceFailed();
    metrics.revocationHeard(0.02);
    metrics.revocationHeard(-5); // the announcer's clock runs ahead: arrived at once
    metrics.revocationHeard(40);
    const exposition = await read(metrics);
    expect(sampleValue(exposition, 'tessera_lockouts_total')).toBe(1);
    expect(sampleValue(exposition, 'tessera_refresh_rotations_total')).toBe(2);
    expect(sampleValue(exposition, 'tessera_refresh_reuse_detections_total')).toBe(1);
    expect(sampleValue(exposition, 'tessera_revocations_announced_total')).toBe(3);
    expect(sampleValue(exposition, 'tessera_revocation_announce_failures_total')).toBe(1);
    const lag = 'tessera_revocation_propagation_seconds';
    expect(sampleValue(exposition, `${lag}_count`)).toBe(3);
    expect(sampleValue(exposition, `${lag}_sum`)).toBeCloseTo(40.02, 6);
    expect(sampleValue(exposition, `${lag}_bucket`, { le: '0.005' })).toBe(1);
    expect(sampleValue(exposition, `${lag}_bucket`, { le: '0.025' })).toBe(2);
    expect(sampleValue(exposition, `${lag}_bucket`, { le: '30' })).toBe(2);
    expect(sampleValue(exposition, `${lag}_bucket`, { le: '+Inf' })).toBe(3);
  });

  it('adds the process metrics only when asked', async () => {
    const plain = await read(createPrometheusMetrics({ rateLimitRules: [] }));
    expect([...plain.types.keys()].some((name) => name.startsWith('process_'))).toBe(false);
    const withProcess = await read(createPrometheusMetrics({ rateLimitRules: [], processMetrics: true }));
    expect(withProcess.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(withProcess.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });
});

describe('probes read at scrape time', () => {
  it('without probes there are no probe gauges', async () => {
    const exposition = await read(createPrometheusMetrics({ rateLimitRules: [] }));
    expect(exposition.types.has('tessera_store_up')).toBe(false);
  });

  it('pings the database once per scrape and reports up, latency, Redis health and key age', async () => {
    const metrics = createPrometheusMetrics({ rateLimitRules: [] });
    let pings = 0;
    let redis = true;
    metrics.watch(
      probes({
        pingDatabase: async () => {
          pings += 1;
          return true;
        },
        redisHealthy: () => redis,
        signingKeyActivatedAt: async () => new Date('2026-01-15T11:00:00Z'),
      }),
    );
    let exposition = await read(metrics);
    expect(pings).toBe(1);
    expect(sampleValue(exposition, 'tessera_store_up', { store: 'database' })).toBe(1);
    expect(sampleValue(exposition, 'tessera_store_up', { store: 'redis' })).toBe(1);
    expect(
      sampleValue(exposition, 'tessera_store_ping_seconds', { store: 'database' }),
    ).toBeGreaterThanOrEqual(0);
    expect(sampleValue(exposition, 'tessera_signing_key_age_seconds')).toBe(3600);
    redis = false;
    exposition = await read(metrics);
    expect(pings).toBe(2);
    expect(sampleValue(exposition, 'tessera_store_up', { store: 'redis' })).toBe(0);
  });

  it('a failing database ping is down; an unreadable key age is NaN, not a false age', async () => {
    const metrics = createPrometheusMetrics({ rateLimitRules: [] });
    metrics.watch(
      probes({
        pingDatabase: async () => {
          throw new Error('connection refused');
        },
        signingKeyActivatedAt: async () => {
          throw new Error('connection refused');
        },
      }),
    );
    const exposition = await read(metrics);
    expect(sampleValue(exposition, 'tessera_store_up', { store: 'database' })).toBe(0);
    expect(sampleValue(exposition, 'tessera_signing_key_age_seconds')).toBeNaN();
  });

  it('reports the mail outbox by status when the outbox can count', async () => {
    const metrics = createPrometheusMetrics({ rateLimitRules: [] });
    metrics.watch(probes({ mailOutboxCounts: async () => ({ pending: 4, sent: 10, failed: 1 }) }));
    const exposition = await read(metrics);
    expect(exposition.types.get('tessera_mail_outbox_messages')).toBe('gauge');
    expect(sampleValue(exposition, 'tessera_mail_outbox_messages', { status: 'pending' })).toBe(4);
    expect(sampleValue(exposition, 'tessera_mail_outbox_messages', { status: 'failed' })).toBe(1);
  });

  it('a second watch replaces the probes instead of registering the names twice', async () => {
    const metrics = createPrometheusMetrics({ rateLimitRules: [] });
    metrics.watch(probes({ pingDatabase: async () => false }));
    metrics.watch(probes({ pingDatabase: async () => true }));
    const exposition = await read(metrics);
    expect(sampleValue(exposition, 'tessera_store_up', { store: 'database' })).toBe(1);
    expect(exposition.types.has('tessera_signing_key_age_seconds')).toBe(false);
  });

  it('a database that never answers is reported down once the probe times out', async () => {
    const registry = new Registry();
    const never = () => new Promise<boolean>(() => {});
    addProbeGauges(registry, probes({ pingDatabase: never }), {
      now: () => performance.now(),
      timeoutMs: 20,
    });
    const exposition = parseExposition(await registry.metrics());
    expect(sampleValue(exposition, 'tessera_store_up', { store: 'database' })).toBe(0);
    // The latency reported is the time waited: at least the timeout.
    expect(
      sampleValue(exposition, 'tessera_store_ping_seconds', { store: 'database' }),
    ).toBeGreaterThanOrEqual(0.019);
  });

  it('withTimeout answers a probe that never settles with a timeout, and passes through a fast one', async () => {
    const never = new Promise<boolean>(() => {});
    const answer = await withTimeout(() => never, 5);
    expect(typeof answer).toBe('symbol');
    await expect(withTimeout(async () => 7, 1000)).resolves.toBe(7);
    await expect(withTimeout(() => Promise.reject(new Error('down')), 1000)).rejects.toThrow('down');
    expect(PROBE_TIMEOUT_MS).toBeLessThan(10_000); // below Prometheus's default scrape timeout
  });
});

describe('noopMetrics', () => {
  it('is disabled, accepts every report and exposes nothing', async () => {
    expect(noopMetrics.enabled).toBe(false);
    noopMetrics.signIn('succeeded');
    noopMetrics.request({ method: 'GET', route: '/x', status: 200, durationSeconds: 1 });
    noopMetrics.watch(probes());
    expect((await noopMetrics.expose()).body).toBe('');
  });
});
