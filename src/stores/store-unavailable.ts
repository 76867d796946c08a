import { StoreUnavailableError } from '../errors.js';
import { isPostgresUnavailable } from './postgres/postgres-errors.js';
import { isRedisUnavailable } from './redis/redis-errors.js';
import { isSqliteUnavailable } from './sqlite/sqlite-errors.js';

export { StoreUnavailableError };

/**
 * True for StoreUnavailableError and for any driver error one of the adapters would translate into
 * it. The adapters translate at their own boundary (translate-unavailable.ts), so the layers above
 * only ever check `instanceof StoreUnavailableError`; this union serves the stores' own tests and
 * code inside stores/ that meets a raw driver error of any kind.
 */
export function isStoreUnavailable(error: unknown): boolean {
  return (
    error instanceof StoreUnavailableError ||
    isSqliteUnavailable(error) ||
    isPostgresUnavailable(error) ||
    isRedisUnavailable(error)
  );
}
