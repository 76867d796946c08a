import type { Deps } from '../../../flows/deps.js';
import { systemClock } from '../../../platform/clock.js';
import { createLogger } from '../../../platform/logger.js';
import { withStores } from '../../open-context.js';

/** What the outbox use cases need: the configured stores, the system clock and a logger on stderr. */
export function withMailAdmin<T>(
  configFile: string | undefined,
  work: (deps: Pick<Deps, 'stores' | 'config' | 'clock' | 'logger'>) => Promise<T>,
): Promise<T> {
  return withStores(configFile, ({ stores, config }) =>
    work({
      stores,
      config,
      clock: systemClock,
      logger: createLogger({ level: config.logLevel, destination: process.stderr }),
    }),
  );
}
