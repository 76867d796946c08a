import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../platform/metrics.js';
import { METRICS_PATH } from './metrics-routes.js';

/**
 * Reports every answered request with its route pattern (`/auth/sessions/:id`, never the URL, so ids
 * and probes of random paths cannot grow the label set; no route matched: the metrics' one
 * "unmatched" label). Scrapes of /metrics are not reported: they would only measure the scraper.
 */
export function installRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  if (!metrics.enabled) return;
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === METRICS_PATH) return;
    metrics.request({
      method: request.method,
      route,
      status: reply.statusCode,
      durationSeconds: reply.elapsedTime / 1000,
    });
  });
}
