import {
  createTesseraClient,
  type ClientOptions,
  type AuthEvent,
  type AuthState,
  type TesseraClient,
} from '../../src/client/index.js';
import type { ConsoleSettings } from './settings.js';

export type StateListener = (state: AuthState, event: AuthEvent | 'client-replaced') => void;

/**
 * Holds the one SDK client of the page. A settings change replaces it (the SDK fixes storage and mode
 * at creation); listeners follow whichever client is current, so no module keeps a stale one.
 */
export interface ClientHolder {
  current(): TesseraClient;
  settings(): ConsoleSettings;
  replace(settings: ConsoleSettings): Promise<void>;
  onState(listener: StateListener): void;
}

export function createClientHolder(
  initial: ConsoleSettings,
  hooks: Pick<ClientOptions, 'onStepUpRequired'> = {},
): ClientHolder {
  const listeners: StateListener[] = [];
  let settings = initial;
  let client = open(settings);
  let unsubscribe = subscribe(client);

  function open(next: ConsoleSettings): TesseraClient {
    return createTesseraClient({
      storage: next.storage,
      mode: next.mode,
      refreshLeewaySeconds: next.refreshLeewaySeconds,
      // One namespace per mode and storage: switching never picks up the other client's tokens.
      namespace: `tessera-console-${next.mode}-${next.storage}`,
      ...hooks,
    });
  }

  function subscribe(target: TesseraClient): () => void {
    return target.onAuthChange((state, event) => {
      for (const listener of listeners) listener(state, event);
    });
  }

  return {
    current: () => client,
    settings: () => settings,
    async replace(next) {
      // Sign the old client out (best effort) so no credential of it outlives the switch.
      if (client.getState().status === 'signed-in') await client.logout({ scope: 'local' });
      unsubscribe();
      client.dispose();
      settings = next;
      client = open(settings);
      unsubscribe = subscribe(client);
      await client.ready;
      const state = client.getState();
      for (const listener of listeners) listener(state, 'client-replaced');
    },
    onState(listener) {
      listeners.push(listener);
    },
  };
}
