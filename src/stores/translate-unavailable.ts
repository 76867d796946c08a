import { StoreUnavailableError } from '../errors.js';

/** An adapter's knowledge of its driver: does this error mean "the store cannot answer right now"? */
export type UnavailableRecogniser = (error: unknown) => boolean;

/** The error as the layers above see it: StoreUnavailableError (driver error as cause) or unchanged. */
export function translateUnavailable(error: unknown, isUnavailable: UnavailableRecogniser): unknown {
  if (error instanceof StoreUnavailableError || !isUnavailable(error)) return error;
  return new StoreUnavailableError('The store is unavailable.', { cause: error });
}

/** `fn` with its driver's "unavailable" errors rethrown as StoreUnavailableError, thrown or rejected. */
function translatingCalls(
  fn: (...args: unknown[]) => unknown,
  self: unknown,
  isUnavailable: UnavailableRecogniser,
): (...args: unknown[]) => unknown {
  return (...args) => {
    try {
      const result = Reflect.apply(fn, self, args);
      return result instanceof Promise
        ? result.catch((error: unknown) => {
            throw translateUnavailable(error, isUnavailable);
          })
        : result;
    } catch (error) {
      throw translateUnavailable(error, isUnavailable);
    }
  };
}

/**
 * The boundary of an adapter: every method of `port` rethrows its driver's "unavailable" errors as
 * StoreUnavailableError. Methods run on the adapter itself (so private fields work); properties that
 * are not functions pass through.
 */
export function withUnavailableTranslation<T extends object>(
  port: T,
  isUnavailable: UnavailableRecogniser,
): T {
  // One wrapper per method, made on first use: store calls are on every request's path.
  const wrappers = new Map<PropertyKey, { of: unknown; call: (...args: unknown[]) => unknown }>();
  return new Proxy(port, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const known = wrappers.get(property);
      if (known?.of === value) return known.call;
      const call = translatingCalls(value as (...args: unknown[]) => unknown, target, isUnavailable);
      wrappers.set(property, { of: value, call });
      return call;
    },
  });
}

/** Every port (and every function, such as ping and close) of a set of stores behind the translation. */
export function translateEveryPort<T extends object>(ports: T, isUnavailable: UnavailableRecogniser): T {
  const translated: Record<string, unknown> = {};
  for (const [name, port] of Object.entries(ports)) {
    if (typeof port === 'function') translated[name] = translatingCalls(port, ports, isUnavailable);
    else if (typeof port === 'object' && port !== null)
      translated[name] = withUnavailableTranslation(port, isUnavailable);
    else translated[name] = port;
  }
  return translated as T;
}
