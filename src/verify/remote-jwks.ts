import { importPublishedJwks, type SkippedJwk } from '../keys/import-published-jwks.js';
import type { KeyRing } from '../keys/keyring.js';
import type { Clock } from '../platform/clock.js';
import type { JwsAlgorithm } from '../token/algorithms.js';
import { KeyError } from '../token/errors.js';
import type { JwsKey, KeyLookup } from '../token/key.js';
import { parseJsonDocument, readBoundedText, RemoteDocumentError } from './bounded-body.js';
import { clampSeconds, parseMaxAgeSeconds } from './cache-control.js';

export interface RemoteJwksOptions {
  /** The JWKS URL, e.g. https://auth.example.com/.well-known/jwks.json. */
  url: string;
  clock: Clock;
  fetch?: typeof fetch;
  /** At most one fetch per this many seconds, however many unknown kids arrive; default 30. */
  cooldownSeconds?: number;
  /** Bounds on the Cache-Control max-age honoured; defaults 30 s and 1 day. */
  minCacheSeconds?: number;
  maxCacheSeconds?: number;
  /** When the endpoint sends no max-age; default 300 (what Tessera sends). */
  defaultCacheSeconds?: number;
  /** Bigger documents are refused; default 64 KiB. */
  maxBytes?: number;
  /** Per fetch; default 5 s. */
  timeoutMs?: number;
  /**
   * Told of each member of a new key set that cannot be used (another kty, `use: "enc"`, another or
   * no `alg`, a secret, a weak key) and why; default: a process warning (`TESSERA_JWKS_KEY_SKIPPED`).
   */
  onKeySkipped?: (skipped: SkippedJwk) => void;
}

export interface RemoteJwksHealth {
  /** True once a key set has loaded (it is then served even while the endpoint fails). */
  loaded: boolean;
  fetches: number;
  lastFetchAt: Date | undefined;
  /** The message of the last failed fetch, cleared by a successful one. */
  lastError: string | undefined;
}

/**
 * A JWKS endpoint as a KeyLookup. The key set is cached for the response's Cache-Control max-age
 * (clamped), refetched when stale or when a token names an unknown kid, with every fetch single-flight
 * and at most one per cooldown: a flood of tokens with random kids costs the endpoint one request per
 * cooldown. A failed fetch keeps the last good key set; only a verifier that never loaded one fails.
 */
export class RemoteJwks implements KeyLookup {
  readonly #url: string;
  readonly #clock: Clock;
  readonly #fetch: typeof fetch;
  readonly #cooldownMs: number;
  readonly #cache: { min: number; max: number; fallback: number };
  readonly #maxBytes: number;
  readonly #timeoutMs: number;
  readonly #onKeySkipped: (skipped: SkippedJwk) => void;
  #ring: KeyRing | undefined;
  #documentText = '';
  #version = 0;
  #freshUntilMs = -Infinity;
  #lastFetchMs = -Infinity;
  #fetches = 0;
  #lastError: string | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(options: RemoteJwksOptions) {
    const url = new URL(options.url); // throws TypeError on a bad URL: a programmer error
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new TypeError('jwksUri must be an http(s) URL.');
    this.#url = url.href;
    this.#clock = options.clock;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#cooldownMs = positive(options.cooldownSeconds ?? 30, 'cooldownSeconds') * 1000;
    const min = positive(options.minCacheSeconds ?? 30, 'minCacheSeconds');
    const max = positive(options.maxCacheSeconds ?? 86_400, 'maxCacheSeconds');
    if (max < min) throw new TypeError('maxCacheSeconds must not be below minCacheSeconds.');
    this.#cache = { min, max, fallback: options.defaultCacheSeconds ?? 300 };
    this.#maxBytes = positive(options.maxBytes ?? 64 * 1024, 'maxBytes');
    this.#timeoutMs = positive(options.timeoutMs ?? 5000, 'timeoutMs');
    this.#onKeySkipped = options.onKeySkipped ?? warnKeySkipped(this.#url);
  }

  get version(): number {
    return this.#version;
  }

  findKey(kid: string | undefined, alg: JwsAlgorithm): JwsKey | undefined {
    return this.#ring?.findKey(kid, alg);
  }

  health(): RemoteJwksHealth {
    return {
      loaded: this.#ring !== undefined,
      fetches: this.#fetches,
      lastFetchAt: this.#lastFetchMs === -Infinity ? undefined : new Date(this.#lastFetchMs),
      lastError: this.#lastError,
    };
  }

  /**
   * Loads the key set when there is none, and waits for it. A stale set is refreshed in the background
   * (respecting the cooldown) while requests go on with it: a slow or dead endpoint then never holds a
   * request up, and a token signed by a key the stale set lacks still gets its kid-miss refetch.
   */
  async ensureFresh(): Promise<void> {
    const now = this.#clock.now().getTime();
    if (this.#ring === undefined) return this.#fetchOncePerCooldown(now);
    if (now >= this.#freshUntilMs) void this.#fetchOncePerCooldown(now);
  }

  /** Resolves once no fetch is in flight (a background refresh included). */
  async settled(): Promise<void> {
    await this.#inFlight;
  }

  /** A token named a kid the cached set lacks: fetch again, unless a fetch was made within the cooldown. */
  async refreshForUnknownKid(): Promise<void> {
    await this.#fetchOncePerCooldown(this.#clock.now().getTime());
  }

  #fetchOncePerCooldown(now: number): Promise<void> {
    if (this.#inFlight !== undefined) return this.#inFlight;
    if (now - this.#lastFetchMs < this.#cooldownMs) return Promise.resolve();
    // The cooldown counts from the start of a fetch, failed or not, so a dead endpoint is not hammered.
    this.#lastFetchMs = now;
    this.#fetches++;
    this.#inFlight = this.#load()
      .then(
        () => {
          this.#lastError = undefined;
        },
        (error: unknown) => {
          this.#lastError = error instanceof Error ? error.message : 'The JWKS fetch failed.';
        },
      )
      .finally(() => {
        this.#inFlight = undefined;
      });
    return this.#inFlight;
  }

  async #load(): Promise<void> {
    let response: Response;
    try {
      response = await this.#fetch(this.#url, {
        headers: { accept: 'application/jwk-set+json, application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (cause) {
      throw new RemoteDocumentError('The JWKS endpoint could not be reached.', { cause });
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new RemoteDocumentError(`The JWKS endpoint answered ${response.status}.`);
    }
    const text = await readBoundedText(response, this.#maxBytes);
    const maxAge = parseMaxAgeSeconds(response.headers.get('cache-control')) ?? this.#cache.fallback;
    if (text !== this.#documentText || this.#ring === undefined) {
      let ring: KeyRing;
      try {
        ring = importPublishedJwks(parseJsonDocument(text, 'JWKS'), { onSkipped: this.#onKeySkipped });
      } catch (cause) {
        if (cause instanceof RemoteDocumentError) throw cause;
        // KeyError messages name members and rules, never key material: safe for health().
        const reason = cause instanceof KeyError ? ` ${cause.message}` : '';
        throw new RemoteDocumentError(`The JWKS was refused.${reason}`, { cause });
      }
      this.#ring = ring;
      this.#documentText = text;
      this.#version++; // drops the verified-token cache: a key may have gone
    }
    const fetchedAt = this.#clock.now().getTime();
    this.#freshUntilMs = fetchedAt + clampSeconds(maxAge, this.#cache.min, this.#cache.max) * 1000;
  }
}

function warnKeySkipped(url: string): (skipped: SkippedJwk) => void {
  return ({ member, reason }) =>
    process.emitWarning(`The JWKS at ${url}: ${member} ${reason}; skipped.`, {
      code: 'TESSERA_JWKS_KEY_SKIPPED',
    });
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be a positive number.`);
  return value;
}
