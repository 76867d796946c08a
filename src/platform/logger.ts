import { pino, type Logger as PinoLogger } from 'pino';

/** The logging surface the rest of Tessera uses (pino's, narrowed). */
export type Logger = Pick<PinoLogger, 'info' | 'warn' | 'error' | 'debug' | 'fatal' | 'child' | 'level'>;

/**
 * Paths pino replaces with "[redacted]" wherever they appear in a log object: credentials in
 * headers and bodies, tokens in responses, and anything named like a secret.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.new_password',
  '*.access_token',
  '*.refresh_token',
  '*.session_token',
  '*.token',
  '*.secret',
  '*.client_secret',
  'password',
  'access_token',
  'refresh_token',
  'token',
  'secret',
];

/**
 * Request and response as they appear in request log lines: the path without its query string (a
 * token sent there — refused, but logged on arrival — must not reach the log), never headers.
 */
const serializers = {
  req: (request: { method?: string; url?: string; ip?: string }) => ({
    method: request.method,
    path: typeof request.url === 'string' ? request.url.split('?')[0] : undefined,
    remoteAddress: request.ip,
  }),
  res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
  err: pino.stdSerializers.err,
};

export function createLogger(options: { level: string; destination?: NodeJS.WritableStream }): Logger {
  const config = {
    level: options.level,
    serializers,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return options.destination ? pino(config, options.destination as never) : pino(config);
}

/** A logger that drops everything: for tests and tools that do not log. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
