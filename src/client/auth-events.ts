import type { AuthEvent, AuthListener, AuthState } from './types.js';

/**
 * onAuthChange listeners. Each runs in its own microtask, after the state change is complete, so a
 * listener that calls back into the client (refresh, logout, fetch) never re-enters a half-done
 * update and cannot deadlock the refresh lock; one that throws is reported and the others still run.
 */
export function createAuthEvents<Claims extends object>() {
  const listeners = new Set<AuthListener<Claims>>();
  return {
    subscribe(listener: AuthListener<Claims>): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(state: AuthState<Claims>, event: AuthEvent): void {
      for (const listener of [...listeners]) {
        queueMicrotask(() => {
          if (!listeners.has(listener)) return;
          try {
            listener(state, event);
          } catch (error) {
            reportListenerError(error);
          }
        });
      }
    },
    clear: () => listeners.clear(),
  };
}

function reportListenerError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === 'function') report(error);
}
