import { announceRevocations } from '../../../flows/revocation/announce-revocations.js';
import { accessTokenWindowSeconds } from '../../../flows/sessions/access-token-window.js';
import type { Deps } from '../../../flows/deps.js';
import { systemClock } from '../../../platform/clock.js';
import { createLogger } from '../../../platform/logger.js';
import { cryptoRandom } from '../../../platform/random.js';
import { withStores } from '../../open-context.js';

/**
 * What the client use cases need: the configured stores and config, the system clock, randomness and
 * a logger on stderr (no keyring). Session revocations are announced, so with Redis configured every
 * running instance's strict mode hears about the sessions of a removed client at once.
 */
export function withClientAdmin<T>(
  configFile: string | undefined,
  work: (deps: Pick<Deps, 'stores' | 'config' | 'clock' | 'random' | 'logger'>) => Promise<T>,
): Promise<T> {
  return withStores(configFile, ({ stores, config, revocations }) =>
    work({
      stores: {
        ...stores,
        sessions: announceRevocations(stores.sessions, revocations, accessTokenWindowSeconds(config)),
      },
      config,
      clock: systemClock,
      random: cryptoRandom,
      logger: createLogger({ level: config.logLevel, destination: process.stderr }),
    }),
  );
}
