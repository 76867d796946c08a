/**
 * The metrics port: what the flows and the HTTP edge report, as calls with bounded arguments (never a
 * user id, an e-mail or a raw URL). The Prometheus adapter (prometheus-metrics.ts) implements it; the
 * no-op default serves tools and configurations without metrics. Flows import this file only, never
 * prom-client.
 */

/** How one pass through the login pipeline ended (src/flows/auth/sign-in.ts). */
export type SignInOutcome =
  /** Every check passed and a session was opened. */
  | 'succeeded'
  /** The credential was wrong (or the account unknown: the two are one answer). */
  | 'failed'
  /** Refused before the credential was checked: the e-mail is locked out after failures. */
  | 'locked'
  /** The credential was right, but the account is disabled or locked by an administrator. */
  | 'disabled'
  /** The credential was right, but a sign-in policy refused (unverified e-mail, a second factor due). */
  | 'refused'
  /** Something else failed (a store was unavailable): no decision was made. */
  | 'error';

export const SIGN_IN_OUTCOMES: readonly SignInOutcome[] = [
  'succeeded',
  'failed',
  'locked',
  'disabled',
  'refused',
  'error',
];

/** One answered HTTP request, as the HTTP edge reports it. */
export interface RequestObservation {
  method: string;
  /** The route pattern (`/auth/sessions/:id`), or undefined when no route matched. */
  route: string | undefined;
  status: number;
  durationSeconds: number;
}

/**
 * What the server reads at scrape time (each bounded by a timeout in the adapter). An absent probe is
 * an absent metric: no Redis, keys managed outside Tessera, or an outbox that cannot count yet.
 */
export interface MetricsProbes {
  /** The database answers (the /readyz check). */
  pingDatabase: () => Promise<boolean>;
  /** The Redis revocation fan-out is connected and in sync; absent without Redis. */
  redisHealthy?: () => boolean;
  /** When the current signing key started signing; absent for configured keys (TESSERA_SIGNING_KEYS). */
  signingKeyActivatedAt?: () => Promise<Date | undefined>;
  /** Messages in the mail outbox by status; absent until the outbox port can count. */
  mailOutboxCounts?: () => Promise<Readonly<Record<string, number>>>;
  /** The time key age is measured against. */
  now: () => Date;
}

export interface Metrics {
  /** True when the metrics are kept and can be scraped. */
  readonly enabled: boolean;
  signIn(outcome: SignInOutcome): void;
  /** A failure locked an e-mail out (the start of a lockout, not each refused attempt). */
  lockoutStarted(): void;
  /** A refresh token was exchanged for its successor. */
  refreshRotated(): void;
  /** A used refresh token came back after the grace window: the family and its session were revoked. */
  refreshReuseDetected(): void;
  /** Session ids this instance announced as revoked (to the list, and through Redis to the others). */
  revocationsAnnounced(sessionCount: number): void;
  /** An announcement could not be published (Redis away); it is retried after the reconnect. */
  revocationAnnounceFailed(): void;
  /** Another instance's announcement arrived here, `lagSeconds` after it was made. */
  revocationHeard(lagSeconds: number): void;
  /** A request was refused by a rate limit, named by its rule (`loginPerIp`, …). */
  rateLimited(rule: string): void;
  request(observation: RequestObservation): void;
  /** Connects the scrape-time probes; a later call replaces the earlier probes. */
  watch(probes: MetricsProbes): void;
  /** The Prometheus text exposition and its content type. */
  expose(): Promise<{ contentType: string; body: string }>;
}

/** Metrics off: every report is dropped, and there is nothing to expose. */
export const noopMetrics: Metrics = Object.freeze({
  enabled: false,
  signIn: () => {},
  lockoutStarted: () => {},
  refreshRotated: () => {},
  refreshReuseDetected: () => {},
  revocationsAnnounced: () => {},
  revocationAnnounceFailed: () => {},
  revocationHeard: () => {},
  rateLimited: () => {},
  request: () => {},
  watch: () => {},
  expose: async () => ({ contentType: 'text/plain; charset=utf-8', body: '' }),
});
