import type { AuthMode, StorageStrategy } from '../../src/client/index.js';

/** What the page was opened with; kept in the URL so a reload or a second tab starts the same way. */
export interface ConsoleSettings {
  storage: StorageStrategy;
  mode: AuthMode;
  refreshLeewaySeconds: number;
}

export const STORAGE_STRATEGIES: readonly StorageStrategy[] = [
  'memory',
  'localStorage',
  'sessionStorage',
  'cookie',
];
export const AUTH_MODES: readonly AuthMode[] = ['jwt', 'session'];
const DEFAULT_LEEWAY_SECONDS = 60;
const MAX_LEEWAY_SECONDS = 3600;

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.find((candidate) => candidate === value) ?? fallback;
}

export function readSettings(url: URL): ConsoleSettings {
  const leeway = Number(url.searchParams.get('leeway') ?? DEFAULT_LEEWAY_SECONDS);
  return {
    storage: oneOf(url.searchParams.get('storage'), STORAGE_STRATEGIES, 'memory'),
    mode: oneOf(url.searchParams.get('mode'), AUTH_MODES, 'jwt'),
    refreshLeewaySeconds:
      Number.isInteger(leeway) && leeway >= 0 && leeway <= MAX_LEEWAY_SECONDS
        ? leeway
        : DEFAULT_LEEWAY_SECONDS,
  };
}

/** Writes the settings into the address bar without reloading (history.replaceState). */
export function writeSettings(settings: ConsoleSettings): void {
  const url = new URL(window.location.href);
  url.searchParams.set('storage', settings.storage);
  url.searchParams.set('mode', settings.mode);
  url.searchParams.set('leeway', String(settings.refreshLeewaySeconds));
  window.history.replaceState(null, '', url);
}
