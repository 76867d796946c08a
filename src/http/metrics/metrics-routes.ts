import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/types.js';
import type { Metrics } from '../../platform/metrics.js';
import { createMetricsGuard } from './metrics-access.js';

export const METRICS_PATH = '/metrics';

/** The 200 answer as GET /openapi.json states it: Prometheus's text format, not JSON. */
const metricsResponse = {
  description: 'The Prometheus text exposition format (version 0.0.4); docs/operations.md lists each metric.',
  content: { 'text/plain': { schema: { type: 'string' } } },
};

/**
 * GET /metrics for Prometheus. It declares no rate limit (a scraper polls it steadily, and it is
 * guarded by address and token instead), and its own requests are left out of the request metrics.
 */
export function metricsRoutes(deps: { config: Pick<Config, 'metrics'>; metrics: Metrics }) {
  const guard = createMetricsGuard(deps.config.metrics);
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      METRICS_PATH,
      {
        config: { problems: [401, 403] },
        schema: { response: { 200: metricsResponse } },
        // onRequest: a refused scrape costs no body parsing and reads nothing.
        onRequest: async (request) => guard(request),
      },
      async (_request, reply) => {
        const { contentType, body } = await deps.metrics.expose();
        return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
      },
    );
  };
}
