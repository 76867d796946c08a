const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const FORMAT = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/**
 * "in 14 minutes" or "3 hours ago": the largest unit that fits, rounded down, so an expiry is never
 * described as later than it is.
 */
export function describeRelative(target: Date, now: Date): string {
  const seconds = Math.trunc((target.getTime() - now.getTime()) / 1000);
  const magnitude = Math.abs(seconds);
  if (magnitude < 1) return 'now';
  const [unit, size] = UNITS.find(([, unitSeconds]) => magnitude >= unitSeconds)!;
  return FORMAT.format(Math.sign(seconds) * Math.floor(magnitude / size), unit);
}

/** "expires in 14 minutes" / "expired 3 hours ago", for a JWT `exp`. */
export function describeExpiry(exp: Date, now: Date): string {
  return exp > now ? `expires ${describeRelative(exp, now)}` : `expired ${describeRelative(exp, now)}`;
}
