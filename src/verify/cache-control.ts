/**
 * The lifetime a Cache-Control header grants a response, in seconds: `max-age` (RFC 9111 §5.2.2.1),
 * 0 for `no-store` / `no-cache`, undefined when the header says nothing usable. The caller clamps it.
 */
export function parseMaxAgeSeconds(header: string | null): number | undefined {
  if (header === null) return undefined;
  let maxAge: number | undefined;
  for (const directive of header.toLowerCase().split(',')) {
    const [name = '', value] = directive.trim().split('=', 2);
    if (name === 'no-store' || name === 'no-cache') return 0;
    if (name === 'max-age' && value !== undefined) {
      const seconds = /^"?(\d{1,10})"?$/.exec(value.trim());
      if (seconds !== null) maxAge = Number(seconds[1]);
    }
  }
  return maxAge;
}

/** `value` within [min, max]. */
export function clampSeconds(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
