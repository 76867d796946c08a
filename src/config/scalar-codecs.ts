import { InvalidValue, type Codec } from './codec.js';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const UNIT_BYTES = { b: 1, kb: 1024, kib: 1024, mb: 1_048_576, mib: 1_048_576 } as const;

/** A whole number from the file (a JSON number) or from the environment (digits only, no sign). */
function readWholeNumber(input: unknown): number | undefined {
  if (typeof input === 'number') return Number.isSafeInteger(input) && input >= 0 ? input : undefined;
  if (typeof input === 'string' && /^\d{1,15}$/.test(input)) return Number(input);
  return undefined;
}

function inRange(value: number | undefined, min: number, max: number): value is number {
  return value !== undefined && value >= min && value <= max;
}

export function integer(min: number, max: number, note = ''): Codec<number> {
  return {
    rule: `must be an integer from ${min} to ${max}${note}`,
    parse(input) {
      const value = readWholeNumber(input);
      if (!inRange(value, min, max)) throw new InvalidValue();
      return value;
    },
    format: String,
  };
}

/** 2592000 → "30d", 900 → "15m": the largest unit that divides exactly, so defaults read as written. */
export function formatDuration(seconds: number): string {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (seconds !== 0 && seconds % UNIT_SECONDS[unit] === 0) return `${seconds / UNIT_SECONDS[unit]}${unit}`;
  }
  return `${seconds}s`;
}

/** Seconds from a number or a string: "900", "900s", "15m", "12h", "30d". */
export function parseDurationSeconds(input: unknown): number | undefined {
  if (typeof input !== 'string') return readWholeNumber(input);
  const match = /^(\d{1,12})([smhd]?)$/.exec(input);
  if (match === null) return undefined;
  const unit = (match[2] || 's') as keyof typeof UNIT_SECONDS;
  return Number(match[1]) * UNIT_SECONDS[unit];
}

export function duration(min: number, max = Number.MAX_SAFE_INTEGER): Codec<number> {
  const range =
    max === Number.MAX_SAFE_INTEGER ? `of at least ${min}s` : `from ${min}s to ${formatDuration(max)}`;
  return {
    rule: `must be a duration ${range}: whole seconds or with a unit s, m, h or d (e.g. "15m")`,
    parse(input) {
      const value = parseDurationSeconds(input);
      if (!inRange(value, min, max)) throw new InvalidValue();
      return value;
    },
    format: formatDuration,
  };
}

/** Bytes from a number or a string with a binary unit: "16384", "16kb", "1mib". */
export function byteSize(min: number, max: number): Codec<number> {
  return {
    rule: `must be a size from ${min} to ${max} bytes: whole bytes or with a unit kb or mb (1 kb = 1024 bytes)`,
    parse(input) {
      let value = readWholeNumber(input);
      const match = typeof input === 'string' ? /^(\d{1,12})(b|kib|kb|mib|mb)$/i.exec(input) : null;
      if (match !== null)
        value = Number(match[1]) * UNIT_BYTES[match[2]!.toLowerCase() as keyof typeof UNIT_BYTES];
      if (!inRange(value, min, max)) throw new InvalidValue();
      return value;
    },
    format: String,
  };
}

const TRUE_WORDS = ['true', '1', 'yes'];
const FALSE_WORDS = ['false', '0', 'no'];

export const boolean: Codec<boolean> = {
  rule: 'must be true or false (1/0 and yes/no also work)',
  parse(input) {
    if (typeof input === 'boolean') return input;
    const word = typeof input === 'string' ? input.toLowerCase() : undefined;
    if (word !== undefined && TRUE_WORDS.includes(word)) return true;
    if (word !== undefined && FALSE_WORDS.includes(word)) return false;
    throw new InvalidValue();
  },
  format: String,
};

export function oneOf<const T extends string>(values: readonly T[]): Codec<T> {
  return {
    rule: `must be one of ${values.join(', ')}`,
    parse(input) {
      if (typeof input !== 'string' || !(values as readonly string[]).includes(input))
        throw new InvalidValue();
      return input as T;
    },
    format: String,
  };
}

/** A string that passes `test`; the shape every URL-ish and free-text field shares. */
export function text(rule: string, test: (value: string) => boolean): Codec<string> {
  return {
    rule,
    parse(input) {
      if (typeof input !== 'string' || !test(input)) throw new InvalidValue();
      return input;
    },
    format: String,
  };
}
