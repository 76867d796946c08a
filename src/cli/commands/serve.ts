import { parseArgs } from 'node:util';
import { isConfigError, loadConfig } from '../../config/index.js';
import { createLogger } from '../../platform/logger.js';
import { startServer } from '../../server/start-server.js';

const HELP = `Usage: tessera serve [--config <file>]

Starts the Tessera server. Configuration comes from TESSERA_* environment variables and an
optional JSON file (--config or TESSERA_CONFIG_FILE); environment variables win.
Defaults: 127.0.0.1:3000, sqlite:./data/tessera.db, ES256 (key generated on first start).
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
    const logger = createLogger({ level: config.logLevel });
    const server = await startServer(config, logger);
    await new Promise<void>((resolve) => {
      const shutdown = (signal: NodeJS.Signals) => {
        logger.info({ signal }, 'shutting down: finishing in-flight requests');
        server.stop().then(resolve, (error: unknown) => {
          logger.error({ err: error }, 'error during shutdown');
          resolve();
        });
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });
    return 0;
  },
};
