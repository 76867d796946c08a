import type { Deps } from '../../../flows/deps.js';
import { systemClock } from '../../../platform/clock.js';
import { cryptoRandom } from '../../../platform/random.js';
import { withStores } from '../../open-context.js';

/** What the client use cases need: the configured stores and config, the system clock and randomness (no keyring). */
export function withClientAdmin<T>(
  configFile: string | undefined,
  work: (deps: Pick<Deps, 'stores' | 'config' | 'clock' | 'random'>) => Promise<T>,
): Promise<T> {
  return withStores(configFile, ({ stores, config }) =>
    work({ stores, config, clock: systemClock, random: cryptoRandom }),
  );
}
