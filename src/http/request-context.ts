import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../flows/deps.js';

/** The transport facts the flows record (sessions, audit). `request.ip` honours trustProxy. */
export function requestContext(request: FastifyRequest): RequestContext {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
  };
}
