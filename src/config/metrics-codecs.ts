import { isIP } from 'node:net';
import { InvalidValue, type Codec } from './codec.js';
import { text } from './scalar-codecs.js';

/** `on`/`off` (and the boolean words), read as a boolean. */
export const onOff: Codec<boolean> = {
  rule: 'must be on or off',
  parse(input) {
    if (typeof input === 'boolean') return input;
    const word = typeof input === 'string' ? input.trim().toLowerCase() : undefined;
    if (word === 'on' || word === 'true' || word === '1' || word === 'yes') return true;
    if (word === 'off' || word === 'false' || word === '0' || word === 'no') return false;
    throw new InvalidValue();
  },
  format: (value) => (value ? 'on' : 'off'),
};

/** Words an address allow-list may use besides addresses and CIDR ranges. */
export const ADDRESS_WORDS = ['loopback', 'any'] as const;

/** One entry: `loopback`, `any`, an IP address or a CIDR range (`10.0.0.0/8`, `fd00::/8`). */
export function isAddressEntry(entry: string): boolean {
  if ((ADDRESS_WORDS as readonly string[]).includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/** A comma-separated list of addresses (from the environment) or an array of them (from the file). */
export const addressList: Codec<string[]> = {
  rule: 'must be a comma-separated list of IP addresses, CIDR ranges (10.0.0.0/8), `loopback` or `any`',
  parse(input) {
    const entries =
      typeof input === 'string' ? input.split(',') : Array.isArray(input) ? (input as unknown[]) : undefined;
    if (entries === undefined || entries.length === 0) throw new InvalidValue();
    const parsed = entries.map((entry) => {
      const value = typeof entry === 'string' ? entry.trim().toLowerCase() : '';
      if (!isAddressEntry(value)) throw new InvalidValue();
      return value;
    });
    return [...new Set(parsed)];
  },
  format: (value) => value.join(','),
};

/**
 * A bearer token an operator chooses for the scraper: long enough not to be guessed, and made of the
 * characters RFC 6750 §2.1 allows (b64token), so it travels unchanged in the Authorization header.
 */
export const scrapeToken = text(
  'must be 32 to 512 characters of A-Z a-z 0-9 - . _ ~ + / (e.g. `openssl rand -hex 32`)',
  (value) => /^[A-Za-z0-9\-._~+/]{32,512}$/.test(value),
);
