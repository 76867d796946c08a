import type { createAdoptionWaiters } from './adoption-waiters.js';
import type { createAuthEvents } from './auth-events.js';
import type { Credentials } from './credentials.js';
import type { createRefreshScheduler } from './refresh-scheduler.js';
import type { ResolvedOptions } from './resolve-options.js';
import type { AuthState } from './types.js';

/**
 * What the parts of one client share: the resolved options, its collaborators and its mutable state.
 * The parts are plain functions taking this context (credential-state.ts, transport.ts,
 * refresh-flow.ts, tab-sync.ts, restore-session.ts), not objects with methods: a bundler shortens
 * a function's name at every call but never a method's, and tessera/client's size is a feature
 * (decision 0014). For the same reason the fields read all over the parts have short names: `prov`
 * is "provisional", `gen` is "generation", `refusedGen` is "refused generation" (a property name
 * reaches the browser unshortened). Each mutable field names the one module that writes it; the
 * optional ones start absent.
 */
export interface ClientContext<Claims extends object = object> extends ResolvedOptions {
  readonly events: ReturnType<typeof createAuthEvents<Claims>>;
  readonly scheduler: ReturnType<typeof createRefreshScheduler>;
  /** Waiting for another tab's state (tab-sync.ts). */
  readonly adoption: ReturnType<typeof createAdoptionWaiters>;
  /** refresh-flow.ts's `refresh`, which the transport calls after a 401 (it cannot import it: a cycle). */
  readonly refresh: () => Promise<AuthState<Claims>>;
  /** What requests carry (credential-state.ts; the cookie restore sets a provisional one). */
  credentials: Credentials | null;
  /** Provisional: restoring from cookies, requests carry them, but nobody is told "signed in" until it worked. */
  prov: boolean;
  /** Generation: counts commits, so a request that failed can tell whether the credential changed since it was sent. */
  gen: number;
  /** The state listeners last heard (credential-state.ts). */
  state: AuthState<Claims>;
  /** Refused generation: a credential refused right after a refresh made it: refreshing again would only loop (transport.ts). */
  refusedGen?: number;
  /** The refresh in flight, which concurrent callers share (refresh-flow.ts). */
  inflight?: Promise<AuthState<Claims>> | undefined;
  /** The application's step-up in flight, which concurrent challenges share (transport.ts). */
  stepping?: Promise<boolean> | undefined;
}
