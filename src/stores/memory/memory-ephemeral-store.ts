import type { Clock } from '../../platform/clock.js';
import {
  assertTtlSeconds,
  expiresAtMsFrom,
  isLive,
  secondsLeft,
  SWEEP_EVERY_WRITES,
} from '../ephemeral-rules.js';
import type { EphemeralStore } from '../types.js';

/** One entry per key, as one row in SQL: a value (set) or a counter (increment), and its expiry. */
interface Entry {
  value: string | null;
  count: number;
  expiresAtMs: number;
}

/** No timers: expiry is evaluated lazily against the injected clock, so tests move time by hand. */
export class MemoryEphemeralStore implements EphemeralStore {
  readonly #clock: Clock;
  readonly #entries = new Map<string, Entry>();
  #writes = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async increment(key: string, ttlSeconds: number): Promise<{ count: number; ttlSeconds: number }> {
    assertTtlSeconds(ttlSeconds);
    const nowMs = this.#clock.now().getTime();
    const entry = this.#entries.get(key);
    const next: Entry =
      entry !== undefined && isLive(entry.expiresAtMs, nowMs)
        ? { ...entry, count: entry.count + 1 }
        : { value: null, count: 1, expiresAtMs: expiresAtMsFrom(nowMs, ttlSeconds) };
    this.#write(key, next, nowMs);
    return { count: next.count, ttlSeconds: secondsLeft(next.expiresAtMs, nowMs) };
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.#entries.get(key);
    if (entry === undefined || !isLive(entry.expiresAtMs, this.#clock.now().getTime())) return undefined;
    return entry.value ?? undefined;
  }

  async count(key: string): Promise<number> {
    const entry = this.#entries.get(key);
    if (entry === undefined || !isLive(entry.expiresAtMs, this.#clock.now().getTime())) return 0;
    return entry.count;
  }

  /** Counters have no value: only what `set` stored comes back. */
  async getAndDelete(key: string): Promise<string | undefined> {
    const entry = this.#entries.get(key);
    this.#entries.delete(key);
    if (entry === undefined || !isLive(entry.expiresAtMs, this.#clock.now().getTime())) return undefined;
    return entry.value ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    assertTtlSeconds(ttlSeconds);
    const nowMs = this.#clock.now().getTime();
    this.#write(key, { value, count: 0, expiresAtMs: expiresAtMsFrom(nowMs, ttlSeconds) }, nowMs);
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  #write(key: string, entry: Entry, nowMs: number): void {
    this.#entries.set(key, entry);
    this.#writes += 1;
    if (this.#writes % SWEEP_EVERY_WRITES !== 0) return;
    for (const [other, { expiresAtMs }] of this.#entries) {
      if (!isLive(expiresAtMs, nowMs)) this.#entries.delete(other);
    }
  }
}
