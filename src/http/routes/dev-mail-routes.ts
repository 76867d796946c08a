import type { FastifyInstance } from 'fastify';
import type { DevMailbox } from '../../mail/dev-mailbox.js';

const DEFAULT_LIMIT = 50;

const devMailQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: {
      type: 'string',
      // Query values arrive as strings and the strict validator does not coerce: 1 to 200, digits only.
      pattern: '^(?:[1-9]|[1-9][0-9]|1[0-9]{2}|200)$',
      description: 'At most this many (1 to 200, default 50), newest first.',
    },
  },
} as const;

const devMailResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['messages'],
  properties: {
    messages: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'to', 'from', 'subject', 'text', 'html', 'created_at'],
        properties: {
          id: { type: 'string' },
          to: { type: 'string' },
          from: { type: 'string' },
          subject: { type: 'string' },
          text: { type: 'string' },
          html: { type: 'string' },
          created_at: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;

/**
 * GET /dev/mail: the development outbox, for the console (docs/decisions/0041). Registered only when
 * mail is kept rather than sent, which the configuration allows on a loopback listener or with
 * TESSERA_MAIL_DEV_OUTBOX=true; with SMTP the route does not exist (404).
 */
export function devMailRoutes(mailbox: DevMailbox) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { limit?: string } }>(
      '/dev/mail',
      {
        config: { problems: [] },
        schema: {
          querystring: devMailQuery,
          response: { 200: devMailResponse },
        },
      },
      async (request, reply) => {
        reply.header('Cache-Control', 'no-store');
        return { messages: await mailbox.list(Number(request.query.limit ?? DEFAULT_LIMIT)) };
      },
    );
  };
}
