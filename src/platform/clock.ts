/** The only source of wall-clock time. Everything else takes a Clock (or a `now`) as a parameter. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until told to move: for tests and for deterministic tools. */
export function createFixedClock(
  start: Date,
): Clock & { advanceSeconds(seconds: number): void; set(at: Date): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advanceSeconds(seconds: number) {
      current += seconds * 1000;
    },
    set(at: Date) {
      current = at.getTime();
    },
  };
}

/** The system time as a NumericDate, without allocating a Date (the verifier's default `now`). */
export function currentNumericDate(): number {
  return Math.floor(Date.now() / 1000);
}

/** Seconds since the epoch, as JWT NumericDate values are written (RFC 7519 §2). */
export function toNumericDate(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
