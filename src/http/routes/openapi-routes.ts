import type { FastifyInstance } from 'fastify';
import { openApiResponse } from '../schemas.js';

/** How long clients may cache the OpenAPI document: it changes only with a deployment. */
export const OPENAPI_MAX_AGE_SECONDS = 300;

/** GET /openapi.json: the document is built once, on the first request, when every route is known. */
export function openApiRoutes(buildDocument: () => unknown) {
  let body: string | undefined;
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/openapi.json', { schema: { response: { 200: openApiResponse } } }, async (_request, reply) => {
      body ??= JSON.stringify(buildDocument());
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('cache-control', `public, max-age=${OPENAPI_MAX_AGE_SECONDS}`)
        .send(body);
    });
  };
}
