import { InvalidValue, type Codec } from './codec.js';
import { parseDurationSeconds } from './scalar-codecs.js';
import type { RateLimitRule } from './types.js';

const MAX_REQUESTS = 1_000_000;
const MAX_WINDOW_SECONDS = 86_400;

function check(max: unknown, windowSeconds: unknown): RateLimitRule {
  const valid =
    Number.isSafeInteger(max) &&
    (max as number) >= 1 &&
    (max as number) <= MAX_REQUESTS &&
    Number.isSafeInteger(windowSeconds) &&
    (windowSeconds as number) >= 1 &&
    (windowSeconds as number) <= MAX_WINDOW_SECONDS;
  if (!valid) throw new InvalidValue();
  return { max: max as number, windowSeconds: windowSeconds as number };
}

/**
 * "<max>/<window>", e.g. "20/60s" or "10/1h", in the environment; `{ "max": 20, "windowSeconds": 60 }`
 * in the file (the Config shape).
 */
export const rateLimit: Codec<RateLimitRule> = {
  rule: `must be "<max>/<window>" with max 1-${MAX_REQUESTS} and window 1s-1d, e.g. "20/60s"`,
  parse(input) {
    if (typeof input === 'string') {
      const match = /^(\d{1,7})\/(\w+)$/.exec(input);
      if (match === null) throw new InvalidValue();
      return check(Number(match[1]), parseDurationSeconds(match[2]));
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InvalidValue();
    const { max, windowSeconds, ...rest } = input as Record<string, unknown>;
    if (Object.keys(rest).length > 0)
      throw new InvalidValue('must have only the members max and windowSeconds');
    return check(max, windowSeconds);
  },
  format: (value) => `${value.max}/${value.windowSeconds}s`,
};
