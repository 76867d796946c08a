import { systemClock } from './clock.js';
import { createMemoryStore, createWebStorageStore, type CredentialStore } from './credentials.js';
import { readDocumentCookie } from './csrf-cookie.js';
import { createCrossTab, createLocalOnly, type CrossTab } from './cross-tab.js';
import { createUrlResolver } from './request-url.js';
import { createTargetCheck } from './trusted-target.js';
import type { AuthMode, ClientClock, ClientOptions, LockManagerLike, StorageStrategy } from './types.js';

/**
 * How the server delivers credentials for the chosen strategy (the `?delivery=` of sign-in):
 * `body` (the SDK holds every token), `refresh_cookie` (access token in the body, refresh token in an
 * HTTP-only cookie), `cookie` (every token in HTTP-only cookies).
 */
export type Delivery = 'body' | 'refresh_cookie' | 'cookie';

export interface ResolvedOptions {
  baseUrl: string;
  strategy: StorageStrategy;
  mode: AuthMode;
  delivery: Delivery;
  leewaySeconds: number;
  fetch: typeof fetch;
  clock: ClientClock;
  random: () => number;
  readCookie: (name: string) => string | undefined;
  store: CredentialStore;
  crossTab: CrossTab;
  /** Whether a URL may receive the user's credential (see trusted-target.ts). */
  isTrusted: (input: string | URL | Request) => boolean;
  /** The URL fetch is given: relative ones resolved against baseUrl outside a page (request-url.ts). */
  resolveUrl: (input: string | URL | Request) => string | URL | Request;
  /** The application's step-up hook (ClientOptions.onStepUpRequired), if any. */
  onStepUp: ClientOptions['onStepUpRequired'];
}

const STRATEGIES: readonly StorageStrategy[] = ['memory', 'localStorage', 'sessionStorage', 'cookie'];
const DEFAULT_LEEWAY_SECONDS = 60;

type Host = {
  document?: unknown;
  navigator?: { locks?: LockManagerLike };
  localStorage?: unknown;
  sessionStorage?: unknown;
  BroadcastChannel?: unknown;
};

/** Validates the options (programmer errors are TypeErrors, thrown at once) and fills in the defaults. */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  const host = globalThis as Host;
  const strategy = options.storage ?? 'memory';
  const mode = options.mode ?? 'jwt';
  if (!STRATEGIES.includes(strategy)) throw new TypeError(`Unknown storage strategy "${String(strategy)}".`);
  if (mode !== 'jwt' && mode !== 'session') throw new TypeError(`Unknown mode "${String(mode)}".`);
  const leewaySeconds = options.refreshLeewaySeconds ?? DEFAULT_LEEWAY_SECONDS;
  if (!Number.isFinite(leewaySeconds) || leewaySeconds < 0) {
    throw new TypeError('refreshLeewaySeconds must be a finite number >= 0.');
  }
  const refreshTokenIn = options.refreshTokenIn ?? (host.document !== undefined ? 'cookie' : 'body');
  if (refreshTokenIn !== 'cookie' && refreshTokenIn !== 'body') {
    throw new TypeError('refreshTokenIn must be "cookie" or "body".');
  }
  const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetchImpl !== 'function') throw new TypeError('No fetch available: pass options.fetch.');
  const namespace = options.namespace ?? 'tessera';
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const trustedOrigins = options.trustedOrigins ?? [];
  if (!Array.isArray(trustedOrigins) || !trustedOrigins.every(isAbsoluteUrl)) {
    throw new TypeError('trustedOrigins must be a list of absolute URLs.');
  }
  const onStepUp = options.onStepUpRequired;
  if (onStepUp !== undefined && typeof onStepUp !== 'function') {
    throw new TypeError('onStepUpRequired must be a function.');
  }
  return {
    baseUrl,
    strategy,
    mode,
    delivery: deliveryOf(strategy, mode, refreshTokenIn),
    leewaySeconds,
    fetch: fetchImpl,
    clock,
    random,
    readCookie: options.readCookie ?? readDocumentCookie,
    store: storeOf(strategy, namespace, options),
    crossTab: crossTabOf(options, host, namespace, clock, random),
    isTrusted: createTargetCheck(baseUrl, trustedOrigins),
    resolveUrl: createUrlResolver(baseUrl),
    onStepUp,
  };
}

function deliveryOf(strategy: StorageStrategy, mode: AuthMode, refreshTokenIn: 'cookie' | 'body'): Delivery {
  if (strategy === 'cookie') return 'cookie';
  return strategy === 'memory' && mode === 'jwt' && refreshTokenIn === 'cookie' ? 'refresh_cookie' : 'body';
}

function storeOf(strategy: StorageStrategy, namespace: string, options: ClientOptions): CredentialStore {
  if (strategy !== 'localStorage' && strategy !== 'sessionStorage') return createMemoryStore();
  const area = options.webStorage ?? (globalThis as Host)[strategy];
  if (area === undefined || area === null) {
    throw new TypeError(
      `${strategy} is not available here: pass options.webStorage or use storage 'memory'.`,
    );
  }
  return createWebStorageStore(area as NonNullable<ClientOptions['webStorage']>, namespace);
}

/** Cross-tab sync is for browsers: in Node, clients in one process usually belong to different users. */
function crossTabOf(
  options: ClientOptions,
  host: Host,
  namespace: string,
  clock: ClientClock,
  random: () => number,
): CrossTab {
  const hasChannel = options.createChannel !== undefined || typeof host.BroadcastChannel === 'function';
  const enabled = options.crossTab ?? (host.document !== undefined && hasChannel);
  if (!enabled) return createLocalOnly();
  if (!hasChannel) throw new TypeError('crossTab needs BroadcastChannel: pass options.createChannel.');
  const channel =
    options.createChannel?.(namespace) ??
    (new (host.BroadcastChannel as new (name: string) => unknown)(namespace) as ReturnType<
      NonNullable<ClientOptions['createChannel']>
    >);
  const locks = options.locks === undefined ? (host.navigator?.locks ?? null) : options.locks;
  return createCrossTab({ channel, locks, lockName: `${namespace}:refresh`, clock, random });
}

function isAbsoluteUrl(value: unknown): boolean {
  try {
    return typeof value === 'string' && new URL(value).origin !== 'null';
  } catch {
    return false;
  }
}
