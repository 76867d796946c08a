import { createTesseraClient } from '../../../src/client/index.js';
import type { AuthEvent, AuthState, ClientOptions, TesseraClient } from '../../../src/client/index.js';
import { createFakeClock, type FakeClock } from './fake-clock.js';
import { createFakeServer, USER_EMAIL, USER_PASSWORD, type FakeServer } from './fake-server.js';

export const CREDENTIALS = { email: USER_EMAIL, password: USER_PASSWORD };
export type CustomClaims = { tenant: string };

export interface Harness {
  clock: FakeClock;
  server: FakeServer;
  client: TesseraClient<CustomClaims>;
  events: Array<{ event: AuthEvent; state: AuthState<CustomClaims> }>;
  open(options?: ClientOptions): TesseraClient<CustomClaims>;
}

/** A fake clock and server, and a client on them (body delivery unless the options say otherwise). */
export function createHarness(options: ClientOptions = {}, accessTtlSeconds = 900): Harness {
  const clock = createFakeClock();
  const server = createFakeServer(clock, { accessTtlSeconds });
  const events: Harness['events'] = [];
  const open = (extra: ClientOptions = {}) =>
    createTesseraClient<CustomClaims>({
      baseUrl: 'http://tessera.test',
      fetch: server.fetch,
      clock,
      random: () => 0.5,
      readCookie: server.readCookie,
      ...options,
      ...extra,
    });
  const client = open();
  client.onAuthChange((state, event) => events.push({ state, event }));
  return { clock, server, client, events, open };
}
