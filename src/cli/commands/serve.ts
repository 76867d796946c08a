import { parseArgs } from 'node:util';
import { isConfigError, loadConfig } from '../../config/index.js';
import type { Config } from '../../config/index.js';
import { createLogger } from '../../platform/logger.js';
import { createTextLogStream } from '../../platform/text-log-stream.js';
import { startServer } from '../../server/start-server.js';
import { serveUntilSignalled } from '../serve-until-signalled.js';

const HELP = `Usage: tessera serve [--config <file>]

Starts the Tessera server. Configuration comes from TESSERA_* environment variables and an
optional JSON file (--config or TESSERA_CONFIG_FILE); environment variables win.
Defaults: 127.0.0.1:3000, sqlite:./data/tessera.db, ES256 (key generated on first start).
On a terminal it prints a short banner and one line per event; elsewhere (or with
TESSERA_LOG_FORMAT=json) pino JSON lines. TESSERA_LOG_FORMAT=text forces the short form.
SIGINT/SIGTERM stop accepting connections, finish in-flight requests and close the database.`;

export const serveCommand = {
  summary: 'start the HTTP server',
  async run(argv: string[]): Promise<number> {
    const { values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    let config;
    try {
      config = loadConfig(values.config === undefined ? {} : { file: values.config });
    } catch (error) {
      if (isConfigError(error)) {
        process.stderr.write(`tessera: configuration error: ${error.message}\n`);
        return 78; // EX_CONFIG
      }
      throw error;
    }
    const text = usesTextLogs(config.logFormat, process.stdout.isTTY === true);
    const logger = createLogger({
      level: config.logLevel,
      ...(text ? { destination: createTextLogStream(process.stdout) } : {}),
    });
    await serveUntilSignalled(() => startServer(config, logger), {
      started: (server) => {
        if (text) process.stdout.write(banner(config, server.url, server.mail));
      },
      stopping: (signal) => logger.info({ signal }, 'shutting down: finishing in-flight requests'),
      stopFailed: (error) => logger.error({ err: error }, 'error during shutdown'),
    });
    return 0;
  },
};

/** Text for people on a terminal (unless TESSERA_LOG_FORMAT says json); JSON for collectors and pipes. */
export function usesTextLogs(format: Config['logFormat'], stdoutIsTerminal: boolean): boolean {
  return format === 'text' || (format === 'auto' && stdoutIsTerminal);
}

/** The lines under "Tessera listening on …", which names the store and the algorithm (warnings come first). */
function banner(config: Config, url: string, mail: string): string {
  const lines = [
    config.console ? `  console    ${url}/` : '  console    off (TESSERA_CONSOLE=false)',
    `  issuer     ${config.issuer}`,
    mail.startsWith('SMTP ')
      ? `  mail       ${mail}, from ${config.mail.from}`
      : `  mail       not sent: kept in the development outbox (no TESSERA_SMTP_URL), listed at ${url}/dev/mail${config.console ? ' and in the console' : ''}`,
    '  Ctrl-C stops the server; TESSERA_LOG_FORMAT=json prints JSON logs.',
  ];
  return `${lines.join('\n')}\n`;
}
