/** The Fastify apps the middleware rows load (middleware-target.ts builds them), in display order. */
export const MIDDLEWARE_KINDS = ['tessera', 'tessera-nocache', 'fastify-jwt'] as const;
export type MiddlewareKind = (typeof MIDDLEWARE_KINDS)[number];

export const MIDDLEWARE_LABELS: Readonly<Record<MiddlewareKind, string>> = {
  tessera: 'Fastify + tessera/verify plugin, cache on',
  'tessera-nocache': 'Fastify + tessera/verify plugin, cache off',
  'fastify-jwt': 'Fastify + @fastify/jwt',
};

/** The middleware rows' peer: their ratios are over this one. */
export const MIDDLEWARE_PEER: MiddlewareKind = 'fastify-jwt';

/** The protected route every target serves: GET → { sub }. */
export const SECURE_PATH = '/api/secure';
