import type { Config } from '../config/types.js';
import { ensureBootstrapAdmin } from '../flows/admin/roles.js';
import { closeHttpGracefully } from '../http/close-gracefully.js';
import { startKeyMaintenance } from './key-maintenance.js';
import { buildApp } from '../http/build-app.js';
import { systemClock } from '../platform/clock.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { cryptoRandom } from '../platform/random.js';
import { createDeps, createMetrics } from './create-deps.js';
import { openStores } from './open-stores.js';
import { DEV_MAIL_FROM, openMailDelivery } from './open-mail-delivery.js';
import { createDevMailbox } from '../mail/dev-mailbox.js';
import { startupWarnings } from './startup-warnings.js';

export interface RunningServer {
  app: Awaited<ReturnType<typeof buildApp>>;
  url: string;
  /** For the terminal banner: the backends (never credentials), the signing algorithm, warnings. */
  store: string;
  algorithm: string;
  warnings: readonly string[];
  /** Where mail goes (SMTP host, or the development outbox), for the banner. */
  mail: string;
  /** Stops accepting, lets in-flight requests finish, then closes the stores. */
  stop(): Promise<void>;
}

/** Opens the stores, loads the keys, builds the app and listens. */
export async function startServer(
  config: Config,
  logger: Logger = createLogger({ level: config.logLevel }),
): Promise<RunningServer> {
  // Before the stores, so the Redis fan-out reports into them; the one place process metrics start.
  const metrics = createMetrics(config, { processMetrics: true });
  const { stores, revocations, description } = await openStores(config, systemClock, { logger, metrics });
  try {
    const mail = openMailDelivery(config, stores, { clock: systemClock, random: cryptoRandom, logger });
    const deps = await createDeps({
      config,
      stores: mail.stores,
      devMailbox:
        mail.transport.kind === 'dev'
          ? createDevMailbox(stores.mailQueue, mail.templates, {
              from: config.mail.from ?? DEV_MAIL_FROM,
              publicUrl: config.publicUrl,
            })
          : undefined,
      clock: systemClock,
      random: cryptoRandom,
      logger,
      revocations,
      metrics,
    });
    await ensureBootstrapAdmin(deps);
    const app = await buildApp(deps);
    const signing = deps.keys.signingKey;
    logger.debug(
      {
        store: description,
        algorithm: signing.alg,
        kid: signing.kid,
        issuer: config.issuer,
        strictMode: config.strictMode,
      },
      'Tessera starting',
    );
    const warnings = startupWarnings(config);
    for (const warning of warnings) logger.warn(warning);
    // Fastify logs one line per listening address; that line is ours, so a start says "listening" once.
    const address = await app.listen({
      host: config.host,
      port: config.port,
      listenTextResolver: (url) =>
        `Tessera listening on ${url} (store: ${description}, algorithm: ${signing.alg}, mail: ${mail.description})`,
    });
    const keyMaintenance = startKeyMaintenance(deps);
    mail.drainer.start();
    let stopping: Promise<void> | undefined;
    return {
      app,
      url: address,
      store: description,
      algorithm: signing.alg,
      warnings,
      mail: mail.description,
      stop: () =>
        (stopping ??= (async () => {
          await keyMaintenance.stop();
          await closeHttpGracefully(app);
          // After the HTTP close (requests may still enqueue), before the stores close: the message
          // being sent finishes, and leases are released so another instance sends the rest at once.
          await mail.drainer.stop();
          await stores.close();
        })()),
    };
  } catch (error) {
    await stores.close();
    throw error;
  }
}
